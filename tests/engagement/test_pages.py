"""The report's page and CSV: who may open them, what they show, and what they never show."""

import ast
import csv
import io
import re
from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Staff
from engagement.models import PoliceRecord
from tests.personas import World

pytestmark = pytest.mark.django_db

PAGE = reverse("engagement-report")
CSV = reverse("engagement-report-csv")
ROOT = Path(__file__).resolve().parents[2]


def records(world: World) -> None:
    """Force A: 40 records, 16 offered support; force B: 30 records, 20 offered."""

    def make(force, count: int, offered: int, prefix: str) -> None:
        PoliceRecord.objects.bulk_create(
            PoliceRecord(
                force=force,
                crime_reference=f"{prefix}/{n}",
                recorded_on=date(2020 + n % 3, 1 + n % 12, 1 + n % 28),
                victim_sex="other" if n % 17 == 3 else ("female" if n % 2 else "male"),
                victim_age_band="25_34",
                victim_nationality="uk" if n % 3 else "non_uk",
                referral_route="nrm",
                referring_agency="police" if n % 2 else "external",
                exploitation_types=["labour"],
                exploitation_location="uk_only",
                county_lines=False,
                offender_identified=n % 4 == 0,
                support_offered=n < offered,
                support_accepted=("yes" if n % 2 else "no") if n < offered else "unknown",
                engagement=("positive", "negative", "unknown")[n % 3],
            )
            for n in range(count)
        )

    make(world.force_a, 40, 16, "A")
    make(world.force_b, 30, 20, "B")


def client_for(user: Staff) -> Client:
    client = Client()
    client.force_login(user)
    return client


def main_part(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def test_anyone_signed_out_is_sent_to_sign_in(world: World) -> None:
    for url in (PAGE, CSV):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["nadia", "noah", "pat", "pia", "nemo"])
def test_navigators_and_partners_cannot_open_the_report(world: World, who: str) -> None:
    client = client_for(getattr(world, who))
    assert client.get(PAGE).status_code == 403
    assert client.get(CSV).status_code == 403
    assert b"Report</a>" not in client.get(reverse("case-list")).content  # nor see the link


@pytest.mark.parametrize("who", ["sam", "sue", "ada"])
def test_supervisors_and_administrators_see_every_force(world: World, who: str) -> None:
    records(world)
    response = client_for(getattr(world, who)).get(PAGE, {"cohort": "baseline"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "16 of 40" not in html  # all forces together by default
    assert "36 of 70 (51.4%)" in html
    one = client_for(getattr(world, who)).get(
        PAGE, {"cohort": "baseline", "force": world.force_b.pk}
    )
    assert "20 of 30 (66.7%)" in one.content.decode()


def test_an_officer_sees_their_own_force_only(world: World) -> None:
    records(world)
    client = client_for(world.olive)
    html = client.get(PAGE, {"cohort": "baseline"}).content.decode()
    assert "Force A" in html and "16 of 40 (40.0%)" in html
    assert "Force B" not in html and "20 of 30" not in html

    asked_for_b = client.get(PAGE, {"cohort": "baseline", "force": world.force_b.pk})
    assert asked_for_b.status_code == 200
    assert "Select a valid choice" in asked_for_b.content.decode()
    assert "20 of 30" not in asked_for_b.content.decode()
    csv_for_b = client.get(CSV, {"cohort": "baseline", "force": world.force_b.pk})
    assert csv_for_b.status_code == 400
    assert b"20" not in csv_for_b.content

    oscar = client_for(world.oscar).get(CSV, {"cohort": "baseline"}).content.decode()
    assert "baseline,support_offered,all,all,30,20,66.7" in oscar


def test_an_officer_without_a_force_sees_nothing(world: World) -> None:
    world.omar.organisation = world.haven  # not a police force
    world.omar.save(update_fields=["organisation"])
    response = client_for(world.omar).get(PAGE)
    assert response.status_code == 200
    assert response.context["report"] is None


def test_the_page_says_what_the_report_is_and_is_not(world: World) -> None:
    html = " ".join(client_for(world.sam).get(PAGE).content.decode().split())
    assert "describes populations, never a person" in html
    assert "not shown on any victim's page" in html
    assert "nothing in it feeds an alert" in html


def test_the_page_and_csv_are_never_cached_and_carry_no_inline_script_or_style(
    world: World,
) -> None:
    records(world)
    client = client_for(world.ada)
    page = client.get(PAGE, {"compare_at": "2021-01"})
    download = client.get(CSV)
    for response in (page, download):
        assert "no-store" in response["Cache-Control"]
    body = main_part(page.content.decode())
    assert body.count('class="chart"') == 3  # a chart per measure, drawn on the server
    assert "<svg" in body
    for forbidden in ("<script", "<style", "style=", "javascript:", "<img", "<link"):
        assert forbidden not in body, forbidden
    assert not re.search(r"\son[a-z]+=", body)  # no event handlers


def test_the_csv_has_the_documented_columns_and_withholds_small_numbers(world: World) -> None:
    records(world)
    response = client_for(world.ada).get(CSV, {"cohort": "baseline"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == [
        "cohort", "measure", "factor", "level", "n", "count", "percent",
        "chi2", "dof", "p_value", "cramers_v", "fisher_p",
    ]  # fmt: skip
    other = next(r for r in rows if r["factor"] == "victim_sex" and r["level"] == "other")
    assert (other["count"], other["percent"]) == ("withheld",) * 2  # 5 cases, fewer offered
    for row in rows:
        if row["n"] == "0":  # a level with no cases, shown: the cases divide among others
            assert (row["count"], row["percent"]) == ("0", "")
            continue
        for column in ("n", "count"):
            assert row[column] == "withheld" or int(row[column]) >= 5, row


def test_settings_that_do_not_make_sense_are_explained(world: World) -> None:
    client = client_for(world.sam)
    response = client.get(PAGE, {"since": "2022-01", "until": "2021-12"})
    assert "The first month is after the last." in response.content.decode()
    assert response.context["report"] is None
    response = client.get(PAGE, {"since": "January"})
    assert "is not a month (YYYY-MM)" in response.content.decode()
    assert client.get(CSV, {"since": "2022-13"}).status_code == 400


def test_the_page_counts_in_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries
) -> None:
    records(world)
    client = client_for(world.sam)
    client.get(PAGE)  # the session and the user, loaded once
    # Two cohorts of 14 grouped queries (13 factors and the period), plus the form's forces,
    # the session and the user: however many cases there are.
    with django_assert_max_num_queries(36):
        client.get(PAGE, {"compare_at": "2021-01"})


def test_nothing_but_the_report_itself_reads_the_report() -> None:
    """The report never feeds an alert, a signal or a victim's page: no other app imports it."""
    for path in ROOT.glob("*/**/*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {"engagement", "tests", ".venv"} or "migrations" in relative.parts:
            continue
        tree = ast.parse(path.read_text())
        imported = {
            node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
        } | {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        assert not any(name.split(".")[0] == "engagement" for name in imported), relative
