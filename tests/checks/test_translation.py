"""digest.checks.translation: the self-checks on one translated sentence."""

from __future__ import annotations

from digest.checks.translation import Problem, check_translation, copy_through


def test_copy_through_is_found_but_names_and_short_headings_are_not() -> None:
    de = "Der Stadtrat hat die neuen Radwege mit großer Mehrheit beschlossen."
    assert copy_through(de, de, 0.7)
    assert copy_through(de, "Der Stadtrat hat the neuen Radwege mit großer Mehrheit approved.", 0.7)
    assert not copy_through(de, "The city council approved the new cycle lanes.", 0.7)
    assert not copy_through("Miriam Kessler", "Miriam Kessler", 0.7)
    assert not copy_through("FC Bayern München", "FC Bayern München", 0.7)


def test_check_translation_reports_each_failure_by_kind() -> None:
    de = "Der Stadtrat hat am 13. September 1.500 Euro für neue Radwege bewilligt."
    good = check_translation(
        de, "On September 13, the city council approved 1,500 euros for bikes."
    )
    assert good.ok and set(good.passed) == {"repetition", "copy", "length", "numbers"}
    loop = check_translation(de, "The council the council the council approved 1,500 on 13 Sept.")
    assert "repetition" in loop.failed
    copied = check_translation(de, de)
    assert copied.failed == ("copy",)
    short = check_translation(de, "Yes.")
    assert "length" in short.failed and "numbers" in short.failed
    kinds = {p.kind for p in short.problems}
    assert {"length", "missing_number", "date"} <= kinds
    cut = check_translation(de, "On September 13 the council approved 1,500", hit_token_limit=True)
    assert [p.kind for p in cut.problems] == ["length"]
    empty = check_translation(de, "")
    assert empty.problems[0] == Problem("length", "0", "empty translation")
    assert empty.failed == ("length", "numbers")


def test_glossary_check_needs_each_rendering() -> None:
    de = "Die Stadtwerke senken die Preise für alle Kunden in der Stadt."
    ok = check_translation(
        de, "The municipal utility lowers prices.", glossary=["municipal utility"]
    )
    assert ok.ok
    bad = check_translation(de, "The public works lower prices.", glossary=["municipal utility"])
    assert bad.failed == ("glossary",)


def test_a_number_used_many_times_is_one_problem() -> None:
    de = "Der Stadtrat hat neue Radwege beschlossen."
    report = check_translation(de, "The council 2658 approved 2658 new 2658 lanes 2658.")
    assert [p.value for p in report.problems if p.kind == "number"] == ["2658"]
