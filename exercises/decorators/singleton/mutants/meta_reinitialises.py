# expect: expected Database('b', pool=5) to return ('object 1', 'Database') next, but got Database.__init__ ran with
# why: the metaclass caches the object made by __new__ but calls __init__ on every call, like the __new__ way does, so later calls reset the instance's state.


class Singleton:
    _instances = {}

    def __new__(cls, *args, **kwargs):
        if cls not in Singleton._instances:
            Singleton._instances[cls] = super().__new__(cls)
        return Singleton._instances[cls]


class SingletonMeta(type):
    _instances = {}

    def __call__(cls, *args, **kwargs):
        if cls not in SingletonMeta._instances:
            SingletonMeta._instances[cls] = cls.__new__(cls, *args, **kwargs)
        instance = SingletonMeta._instances[cls]
        instance.__init__(*args, **kwargs)
        return instance
