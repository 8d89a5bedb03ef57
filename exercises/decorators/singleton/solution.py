"""Reference solution of the singleton exercise: one instance per class, two ways."""


class Singleton:
    """Base class: every class deriving from it has a single instance.

    The instances are kept in a dict keyed by the class itself. A class attribute such as
    `cls._instance` would be found through inheritance: a subclass would then see its
    parent's instance and return it.
    """

    _instances = {}

    def __new__(cls, *args, **kwargs):
        if cls not in Singleton._instances:
            # object.__new__ takes no arguments: they are for __init__ only.
            Singleton._instances[cls] = super().__new__(cls)
        return Singleton._instances[cls]

    # No __init__ here: Python calls the class's __init__ after __new__ on every call,
    # because __new__ returns an instance of the class. That is the price of this way.


class SingletonMeta(type):
    """Metaclass: `Class(...)` creates the instance once, then always returns it.

    Calling a class calls its metaclass's __call__, which normally runs __new__ and
    __init__. Overriding it lets us skip both once the instance exists.
    """

    def __init__(cls, name, bases, namespace, **kwargs):
        super().__init__(name, bases, namespace, **kwargs)
        cls._singleton_instance = None  # set on every class, so never inherited

    def __call__(cls, *args, **kwargs):
        if cls._singleton_instance is None:
            # If __init__ raises, nothing is stored and the next call tries again.
            cls._singleton_instance = super().__call__(*args, **kwargs)
        return cls._singleton_instance
