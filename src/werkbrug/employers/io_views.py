"""io_views"""

urlpatterns: list = []
