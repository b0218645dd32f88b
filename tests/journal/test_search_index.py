"""The journal's stored search index (migration 0004, PostgreSQL): in step with the entries
and used by the search; the same behaviour on SQLite; the search page's queries bounded."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from isa.journal import services
from isa.journal.models import Entry
from isa.journal.search import search
from tests.conftest import Cast
from tests.journal.test_journal import list_url, write


def found(cast: Cast, text: str, who: str = "head") -> list[str]:
    response = cast.client(who).get(list_url(cast), {"q": text})
    assert response.status_code == 200
    return [e.text for e in response.context["page"]]


def test_a_correction_is_found_by_its_new_wording_only(cast: Cast):
    entry = write(cast, "Elle a peint une girafe bleue.")
    assert found(cast, "girafe") == ["Elle a peint une girafe bleue."]
    services.entry_correct(
        entry=entry,
        expected_version=entry.version,
        participants=[cast.participant],
        kind=entry.kind,
        tags=[],
        visibility=entry.visibility,
        text="Elle a peint un éléphant vert.",
        actor=cast.actor("social_worker"),
    )
    assert found(cast, "girafe") == []
    assert found(cast, "elephant") == ["Elle a peint un éléphant vert."]


def test_every_word_must_match_and_short_words_still_count(cast: Cast):
    write(cast, "Atelier de gravure: il a fini sa plaque.")
    write(cast, "Atelier de photographie, calme.")
    assert found(cast, "atelier gravure") == ["Atelier de gravure: il a fini sa plaque."]
    assert sorted(found(cast, "Atelier")) == [
        "Atelier de gravure: il a fini sa plaque.",
        "Atelier de photographie, calme.",
    ]
    if connection.vendor == "sqlite":  # PostgreSQL's French configuration drops "il"
        assert found(cast, "atelier il") == ["Atelier de gravure: il a fini sa plaque."]
    assert found(cast, "licorne") == []


def test_a_deleted_entry_leaves_the_index(cast: Cast):
    entry = write(cast, "Un zèbre dessiné au fusain.")
    entry.participants.clear()
    Entry.objects.filter(pk=entry.pk).delete()
    assert list(search(Entry.objects.all(), "zebre")) == []


def test_the_search_reads_the_stored_index(cast: Cast):
    write(cast, "Une tortue en argile.")
    with CaptureQueriesContext(connection) as queries:
        assert found(cast, "tortue") == ["Une tortue en argile."]
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    if connection.vendor == "postgresql":
        assert "search_fr" in sql and "search_de" in sql
        assert "to_tsvector" not in sql  # nothing computed per entry at request time
    else:
        assert "search_text" in sql  # the accent-free copy, within the programme


def test_the_search_page_query_count_does_not_grow(cast: Cast, django_assert_max_num_queries):
    write(cast, "Atelier calme.")
    client = cast.client("head")
    client.get(list_url(cast), {"q": "atelier"})
    with django_assert_max_num_queries(20) as few:
        client.get(list_url(cast), {"q": "atelier"})
    for i in range(15):
        write(cast, f"Atelier numéro {i}.")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(list_url(cast), {"q": "atelier"})


def test_the_timeline_links_and_labels_are_those_of_the_entry(cast: Cast):
    from isa.journal.timeline import journal_items

    entry = write(cast, "Un pas de plus.", kind="small_step", tags=["rechauffer", "contenir"])
    item = next(
        i
        for i in journal_items(cast.participant, cast.users["head"])
        if i.url.endswith(f"/{entry.pk}/")
    )
    assert item.url == entry.get_absolute_url()
    assert item.tags == tuple(entry.tag_labels())
    assert item.title.startswith(entry.get_kind_display())
