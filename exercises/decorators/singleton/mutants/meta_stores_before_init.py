# expect: expected Database.__init__ ran with 'good://host' next, but got Database('good://host') to return ('object 1', 'Database')
# why: stores the object made by __new__ before __init__ runs, so when the first __init__ fails a half-built instance is kept and returned forever after.


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
            instance = cls.__new__(cls, *args, **kwargs)
            SingletonMeta._instances[cls] = instance
            instance.__init__(*args, **kwargs)
        return SingletonMeta._instances[cls]
