"""Staff accounts: network administrators invite people and give them a role and collaborative."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User

from backoffice.invitations import invite, send_invitation
from backoffice.models import StaffProfile, organisations
from core.roles import NETWORK_ADMINISTRATOR, ROLES


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    fields = ["organisation"]
    verbose_name_plural = "collaborative"


class InviteStaffForm(forms.ModelForm):
    """Creates an account without a password; the person sets one from an e-mailed link."""

    email = forms.EmailField(help_text="They sign in with this address and get the invitation.")
    role = forms.ModelChoiceField(
        queryset=Group.objects.filter(name__in=ROLES).order_by("name"),
        help_text="Editors write drafts; publishers also publish; network administrators "
        "manage organisations, programmes and staff.",
    )
    organisation = forms.ModelChoiceField(
        queryset=organisations(),
        required=False,
        help_text="Required for editors and publishers. Leave empty for network administrators.",
    )

    class Meta:
        model = User
        fields = ["email", "first_name", "last_name"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("There is already an account with this e-mail address.")
        return email

    def clean(self):
        cleaned = super().clean()
        role, organisation = cleaned.get("role"), cleaned.get("organisation")
        if role and role.name != NETWORK_ADMINISTRATOR and not organisation:
            self.add_error("organisation", "Choose the collaborative this person works for.")
        return cleaned


admin.site.site_header = "PSC Portal back-office"
admin.site.site_title = "PSC Portal back-office"
admin.site.index_title = "Home"
admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    add_form = InviteStaffForm
    add_fieldsets = [
        (None, {"fields": ["email", "first_name", "last_name", "role", "organisation"]}),
    ]
    inlines = [StaffProfileInline]
    list_display = ["email", "first_name", "last_name", "role_names", "organisation", "is_active"]
    list_filter = ["is_active", "groups", "staff_profile__organisation"]
    list_select_related = ["staff_profile__organisation"]
    search_fields = ["email", "first_name", "last_name"]
    ordering = ["email"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("groups")
        if not request.user.is_superuser:  # nobody takes over a superuser's account
            queryset = queryset.filter(is_superuser=False)
        return queryset

    def get_inlines(self, request, obj=None):
        return self.inlines if obj else []

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions", "last_login", "date_joined"]
        return fields

    @admin.display(description="Roles")
    def role_names(self, obj):
        return ", ".join(group.name for group in obj.groups.all()) or "–"

    @admin.display(description="Collaborative", ordering="staff_profile__organisation__name")
    def organisation(self, obj):
        profile = getattr(obj, "staff_profile", None)
        return profile.organisation.acronym if profile and profile.organisation else "Network"

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        user = invite(
            data["email"], data["role"], data["organisation"], data["first_name"], data["last_name"]
        )
        obj.pk, obj.username = user.pk, user.username  # the admin logs and redirects with obj
        obj._state.adding = False
        send_invitation(user, request.build_absolute_uri("/"))
        self.message_user(
            request,
            f"Invitation sent to {obj.email}: they set their password from the link, then "
            "set up two-factor authentication when they first sign in.",
            messages.SUCCESS,
        )
