"""views"""

urlpatterns: list = []
