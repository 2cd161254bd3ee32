from allauth.account.adapter import DefaultAccountAdapter


class StaffAccountAdapter(DefaultAccountAdapter):
    """Accounts are created by network administrators; nobody signs themselves up."""

    def is_open_for_signup(self, request):
        return False
