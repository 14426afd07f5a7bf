from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "openpcn.directory"
    label = "directory"
    verbose_name = "Directory of local services"
