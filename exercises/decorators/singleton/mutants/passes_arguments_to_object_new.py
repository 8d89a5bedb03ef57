# expect: but got Config('a.toml') to raise TypeError
# why: passes the call's arguments on to object.__new__, which accepts none once __new__ is overridden, so any class whose __init__ takes arguments fails.


class Singleton:
    _instances = {}

    def __new__(cls, *args, **kwargs):
        if cls not in Singleton._instances:
            Singleton._instances[cls] = super().__new__(cls, *args, **kwargs)
        return Singleton._instances[cls]


class SingletonMeta(type):
    _instances = {}

    def __call__(cls, *args, **kwargs):
        if cls not in SingletonMeta._instances:
            SingletonMeta._instances[cls] = super().__call__(*args, **kwargs)
        return SingletonMeta._instances[cls]
