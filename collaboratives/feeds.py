"""What other apps' feeds take from the collaboratives: the home collaborative's name."""

from django.conf import settings

from collaboratives.models import Organisation


class HomeCollaborativeTitle:
    """Feeds are titled with the name of the collaborative whose portal this is."""

    def site_title(self) -> str:
        home = Organisation.objects.home().only("psc_name").first()
        return home.psc_name if home else settings.SITE_NAME
