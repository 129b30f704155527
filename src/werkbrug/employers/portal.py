"""portal"""

urlpatterns: list = []
