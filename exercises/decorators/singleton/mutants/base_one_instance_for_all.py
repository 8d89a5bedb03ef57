# expect: Cache() returned ('object 1', 'Config'), expected ('object 2', 'Cache')
# why: stores the instance on the Singleton base class itself (Singleton._instance), so all its subclasses share whichever instance was made first.


class Singleton:
    _instance = None

    def __new__(cls, *args, **kwargs):
        if Singleton._instance is None:
            Singleton._instance = super().__new__(cls)
        return Singleton._instance


class SingletonMeta(type):
    _instances = {}

    def __call__(cls, *args, **kwargs):
        if cls not in SingletonMeta._instances:
            SingletonMeta._instances[cls] = super().__call__(*args, **kwargs)
        return SingletonMeta._instances[cls]
