"""core.forms.PlainSelect writes the same <select> as Django's Select, only faster: the property
test compares the two parsed HTML trees for any flat choices, any chosen value and any attributes
the form adds, so a difference in escaping, ``selected`` or attributes fails it."""

from django import forms
from django.test.html import parse_html
from hypothesis import given
from hypothesis import strategies as st

from werkbrug.core.forms import PlainSelect

# Text that needs escaping, spaces, accents, quotes and ampersands included.
text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
choices = st.lists(st.tuples(text, text), max_size=8, unique_by=lambda c: c[0])


@given(choices=choices, data=st.data())
def test_plain_select_writes_what_djangos_select_writes(choices, data):
    values = [value for value, _label in choices]
    value = data.draw(st.sampled_from(values) if values else st.none())
    attrs = {"id": "id_medewerker", "aria-describedby": "hint & <uitleg>", "required": True}

    ours = PlainSelect(choices=choices).render("medewerker", value, attrs=attrs)
    django = forms.Select(choices=choices).render("medewerker", value, attrs=attrs)

    assert parse_html(ours) == parse_html(django)


def test_plain_select_marks_the_chosen_option_and_escapes_labels():
    html = PlainSelect(choices=[("", "Iedereen"), ("a1", 'Anouk "A" <de Vries>')]).render(
        "medewerker", "a1"
    )
    assert '<option value="a1" selected>Anouk &quot;A&quot; &lt;de Vries&gt;</option>' in html
    assert '<option value="">Iedereen</option>' in html


def test_a_model_choice_field_with_plain_select_renders_its_queryset(db):
    from tests.tests_support import make_region

    from werkbrug.regions.models import Municipality

    region = make_region("TST", [("Wijchen", "GM0296"), ("Beuningen", "GM0209")])["region"]
    field = forms.ModelChoiceField(
        queryset=Municipality.objects.filter(region=region).order_by("name"),
        to_field_name="name",
        widget=PlainSelect,
        empty_label="Alle gemeenten",
    )
    html = field.widget.render("gemeente", "Wijchen")
    assert '<option value="">Alle gemeenten</option>' in html
    assert '<option value="Beuningen">Beuningen</option>' in html
    assert '<option value="Wijchen" selected>Wijchen</option>' in html
