"""Loading files and folders: encoding, size, versions, and ids shared between files."""

import hashlib

from surveyapp.questionnaire import load_directory, load_file
from surveyapp.questionnaire.loader import MAX_FILE_BYTES


def form(questionnaire_id: str, title: str = "Test") -> str:
    return (
        f"id: {questionnaire_id}\ntitle: {title}\nmodes: [self]\npages:\n"
        "  - id: side\n    title: Side\n    questions:\n"
        "      - {id: a, type: short_text, text: Å}\n"
    )


def test_version_is_the_sha256_of_the_file_bytes(tmp_path):
    path = tmp_path / "pasient.yaml"
    data = ("\ufeff" + form("pasient")).replace("\n", "\r\n").encode("utf-8")
    path.write_bytes(data)
    result = load_file(path)
    assert result.problems == []
    assert result.questionnaire.content_hash == hashlib.sha256(data).hexdigest()
    assert result.questionnaire.source_name == str(path)
    assert result.questionnaire.source_text.encode("utf-8") == data


def test_file_that_is_not_utf8_names_the_first_bad_byte(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(form("latin").encode("latin-1"))
    (problem,) = load_file(path).problems
    assert str(problem) == (
        f"{path}:8:41: filen er ikke lagret som UTF-8; lagre den på nytt med tegnkodingen UTF-8"
        " slik at æ, ø og å blir riktige"
    )


def test_missing_file(tmp_path):
    (problem,) = load_file(tmp_path / "borte.yaml").problems
    assert str(problem) == f"{tmp_path / 'borte.yaml'}:1:1: filen finnes ikke"


def test_unreadable_path(tmp_path):
    folder = tmp_path / "mappe.yaml"
    folder.mkdir()
    (problem,) = load_file(folder).problems
    assert problem.code == "file_unreadable"


def test_too_large_file_is_not_read(tmp_path):
    path = tmp_path / "stor.yaml"
    path.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    (problem,) = load_file(path).problems
    assert problem.code == "file_too_large"
    assert problem.params == {"size": MAX_FILE_BYTES + 1, "limit": MAX_FILE_BYTES}


def test_directory_loads_yaml_and_yml_files_in_name_order(tmp_path):
    (tmp_path / "b.yml").write_text(form("leder"), encoding="utf-8")
    (tmp_path / "a.yaml").write_text(form("pasient"), encoding="utf-8")
    (tmp_path / "notater.txt").write_text("ikke et skjema", encoding="utf-8")
    questionnaires, problems = load_directory(tmp_path)
    assert problems == []
    assert [q.id for q in questionnaires] == ["pasient", "leder"]


def test_directory_reports_problems_of_every_file(tmp_path):
    (tmp_path / "a.yaml").write_text("id: a\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text(
        form("b").replace("short_text", "kort_tekst"), encoding="utf-8"
    )
    (tmp_path / "c.yaml").write_text(form("c"), encoding="utf-8")
    questionnaires, problems = load_directory(tmp_path)
    assert [q.id for q in questionnaires] == ["c"]
    assert [(p.file.rsplit("/", 1)[-1], p.code) for p in problems] == [
        ("a.yaml", "missing_key"),
        ("a.yaml", "missing_key"),
        ("a.yaml", "missing_key"),
        ("b.yaml", "unknown_question_type_suggestion"),
    ]


def test_questionnaire_id_used_by_two_files_is_refused(tmp_path):
    (tmp_path / "a.yaml").write_text(form("pasient"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(form("pasient", title="Kopi"), encoding="utf-8")
    questionnaires, problems = load_directory(tmp_path)
    assert [q.title["nb"] for q in questionnaires] == ["Test"]
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'b.yaml'}:1:5: skjemaet «pasient» finnes allerede i filen"
        f" {tmp_path / 'a.yaml'}; hvert skjema må ha sin egen id"
    ]


def test_shared_id_is_found_even_when_a_file_has_other_problems(tmp_path):
    (tmp_path / "a.yaml").write_text(form("pasient"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(
        form("pasient").replace("modes: [self]", "modes: []"), encoding="utf-8"
    )
    _, problems = load_directory(tmp_path)
    assert [p.code for p in problems] == ["empty_list", "duplicate_questionnaire_id"]


def test_missing_directory(tmp_path):
    questionnaires, problems = load_directory(tmp_path / "borte")
    assert questionnaires == []
    assert [str(p) for p in problems] == [f"{tmp_path / 'borte'}:1:1: mappen finnes ikke"]
