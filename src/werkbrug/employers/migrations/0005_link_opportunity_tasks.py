"""Link the task lines and occupation codes of existing opportunities to the taxonomy."""

from django.db import migrations


def link(apps, schema_editor):
    WorkOpportunity = apps.get_model("employers", "WorkOpportunity")
    Skill = apps.get_model("taxonomy", "Skill")
    Occupation = apps.get_model("taxonomy", "Occupation")
    skills: dict[str, int] = {}
    for pk, label, source in Skill.objects.order_by("id").values_list("pk", "label", "source"):
        if label.lower() not in skills or source == "curated":
            skills[label.lower()] = pk
    occupations: dict[str, int] = {}
    for pk, code, source in Occupation.objects.order_by("id").values_list(
        "pk", "isco_code", "source"
    ):
        if code not in occupations or source == "curated":
            occupations[code] = pk
    Through = WorkOpportunity.skills.through
    links = []
    for opportunity in WorkOpportunity.objects.only("pk", "tasks", "occupation_code"):
        found = {skills.get(" ".join(str(t).split()).lower()) for t in opportunity.tasks or ()}
        links += [Through(workopportunity_id=opportunity.pk, skill_id=s) for s in found if s]
        if opportunity.occupation_code in occupations:
            WorkOpportunity.objects.filter(pk=opportunity.pk).update(
                occupation_id=occupations[opportunity.occupation_code]
            )
    Through.objects.bulk_create(links, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("employers", "0004_opportunity_taxonomy"),
        ("taxonomy", "0002_load_curated"),
    ]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
