app_name = "bank"

# The bank's pages (views/) are added to this list as they are built.
urlpatterns: list = []  # type: ignore[type-arg]
