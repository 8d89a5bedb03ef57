# expect: unsubscribe() returned by subscribe('save', on_save) raised ValueError
# why: removes the subscription with list.remove without checking it is still there, so a second call raises ValueError.
"""Reference solution of the event_bus exercise: publish/subscribe with weak bound methods."""
import functools
import inspect
import weakref


class _Strong:
    """Holds a plain function strongly, with the same call-to-dereference interface as a
    weak reference: calling it returns the function."""

    __slots__ = ("callback",)

    def __init__(self, callback):
        self.callback = callback

    def __call__(self):
        return self.callback


def _reference(callback):
    # A bound method is a temporary object made on every `obj.method` access: a plain
    # weakref.ref to it would die at once. WeakMethod keeps weak references to the object
    # and to the function instead, and rebuilds the bound method on demand.
    if inspect.ismethod(callback):
        return weakref.WeakMethod(callback)
    return _Strong(callback)


class EventBus:
    """Calls the subscribers of an event, in subscription order, when it is published."""

    def __init__(self):
        self._subscriptions = {}  # event -> list of references, oldest subscription first

    def subscribe(self, event, callback):
        """Subscribe `callback` to `event`; return a function that unsubscribes it."""
        references = self._subscriptions.setdefault(event, [])
        for reference in references:
            # `obj.method == obj.method` is True although they are two objects, so the same
            # method of the same object is recognised as the same callback.
            if reference() is not None and reference() == callback:
                break  # already subscribed: registered once
        else:
            reference = _reference(callback)
            references.append(reference)
        # The unsubscribe function holds the reference, never the callback itself, so it
        # does not keep a bound method's object alive either.
        return functools.partial(self._unsubscribe, event, reference)

    def _unsubscribe(self, event, reference):
        self._subscriptions[event].remove(reference)
        # Not there any more: unsubscribing twice is harmless.

    def publish(self, event, *args, **kwargs):
        """Call every live subscriber of `event` with the arguments; return how many were
        called. If some raise, all the others are still called, then the first exception
        is re-raised."""
        references = self._subscriptions.get(event, [])
        callbacks = []
        for reference in list(references):
            callback = reference()
            if callback is None:
                references.remove(reference)  # its object is gone: forget it
            else:
                callbacks.append(callback)
        first_error = callback = None
        for callback in callbacks:
            try:
                callback(*args, **kwargs)
            except Exception as error:  # noqa: BLE001 - re-raised below
                if first_error is None:
                    first_error = error
        called = len(callbacks)
        callbacks = callback = None  # the bound methods made for this call are not kept
        if first_error is not None:
            try:
                raise first_error
            finally:
                first_error = None  # break the frame <-> traceback reference cycle
        return called
