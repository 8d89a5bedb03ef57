# expect: but got DevConfig() to return ('object 1', 'Config')
# why: keeps the instance in `cls._instance`, which a subclass finds through inheritance, so DevConfig() returns the Config instance once Config() was called.


class Singleton:
    _instance = None

    def __new__(cls, *args, **kwargs):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance


class SingletonMeta(type):
    _instances = {}

    def __call__(cls, *args, **kwargs):
        if cls not in SingletonMeta._instances:
            SingletonMeta._instances[cls] = super().__call__(*args, **kwargs)
        return SingletonMeta._instances[cls]
