from django.apps import AppConfig


class BoardsConfig(AppConfig):
    name = "openpcn.boards"
    label = "boards"
    verbose_name = "Boards and meetings"
