app_name = "rostering"

# The rota pages (views/) are added to this list as they are built.
urlpatterns: list = []  # type: ignore[type-arg]
