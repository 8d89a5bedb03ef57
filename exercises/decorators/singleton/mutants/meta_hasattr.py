# expect: but got Replica('copy') to return ('object 1', 'Database')
# why: the metaclass tests hasattr(cls, '_instance'), which is also true for a subclass (it inherits the attribute), so Replica() returns the Database instance.


class Singleton:
    _instances = {}

    def __new__(cls, *args, **kwargs):
        if cls not in Singleton._instances:
            Singleton._instances[cls] = super().__new__(cls)
        return Singleton._instances[cls]


class SingletonMeta(type):
    def __call__(cls, *args, **kwargs):
        if not hasattr(cls, "_instance"):
            cls._instance = super().__call__(*args, **kwargs)
        return cls._instance
