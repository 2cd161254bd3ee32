"""Invite a member of staff from the command line, e.g. the first network administrator.

    python manage.py invite_staff admin@example.org --role "Network administrator"
    python manage.py invite_staff editor@example.org --role Editor --organisation wessex

The invitation e-mail (printed to the console unless SMTP is configured) holds a link to set
a password; at the first sign-in the person sets up two-factor authentication.
"""

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError

from backoffice.invitations import invite, send_invitation
from backoffice.models import organisations
from core.roles import NETWORK_ADMINISTRATOR, ROLES


class Command(BaseCommand):
    help = "Create a staff account with a role and e-mail them a link to set their password."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--role", choices=ROLES, default=NETWORK_ADMINISTRATOR)
        parser.add_argument("--organisation", help="Slug of their collaborative, e.g. wessex.")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--site-url",
            default="http://127.0.0.1:8000",
            help="Address of this site, used in the e-mailed link.",
        )

    def handle(self, *args, **options):
        email = options["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"There is already an account for {email}.")
        role = Group.objects.get(name=options["role"])
        organisation = None
        if options["organisation"]:
            organisation = organisations().filter(slug=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"No organisation with the slug {options['organisation']!r}.")
        elif options["role"] != NETWORK_ADMINISTRATOR:
            raise CommandError("Editors and publishers need --organisation.")
        user = invite(email, role, organisation, options["first_name"], options["last_name"])
        link = send_invitation(user, options["site_url"])
        self.stdout.write(self.style.SUCCESS(f"Invited {email} as {role.name}."))
        self.stdout.write(f"Set-password link: {link}")
