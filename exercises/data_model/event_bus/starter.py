"""An event bus: see README.md for the exact behaviour to implement."""


class EventBus:
    """Calls the subscribers of an event, in subscription order, when it is published."""

    def __init__(self):
        raise NotImplementedError("EventBus.__init__")

    def subscribe(self, event, callback):
        """Subscribe `callback` to `event`; return a function that unsubscribes it."""
        raise NotImplementedError("EventBus.subscribe")

    def publish(self, event, *args, **kwargs):
        """Call the live subscribers of `event`; return how many were called."""
        raise NotImplementedError("EventBus.publish")
