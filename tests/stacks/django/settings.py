# The Django rig's settings (tests/e2e/stacks/django.rs fills its markers).
SECRET_KEY = "rig-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "urls"
INSTALLED_APPS = []
MIDDLEWARE = [
    @@top@@
    @@auth@@
    @@cors@@
    "django.middleware.common.CommonMiddleware",
]
DATABASES = {}
@@settings@@
@@cors_settings@@
