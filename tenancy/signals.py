from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from tenancy.middleware import EPOCH_KEY


@receiver(user_logged_in)
def remember_epoch(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[EPOCH_KEY] = user.session_epoch
