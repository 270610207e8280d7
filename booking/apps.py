import logging

from django.apps import AppConfig

log = logging.getLogger(__name__)


class BookingConfig(AppConfig):
    name = "booking"
    verbose_name = "Booking, registers and directed time"

    def ready(self) -> None:
        from booking import receivers

        try:
            from offers.signals import session_cancelled, session_changed
        except ImportError:  # the offer side has not defined its signals (yet)
            log.warning("offers.signals is missing: booking will not hear of session changes")
            return
        session_changed.connect(receivers.on_session_changed, dispatch_uid="booking.changed")
        session_cancelled.connect(receivers.on_session_cancelled, dispatch_uid="booking.cancelled")
