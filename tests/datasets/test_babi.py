"""The shipped bAbI tasks: inside the package, checked on load, parsed faithfully, offline, clear errors."""
import gzip
import hashlib
import importlib.resources
import shutil
import socket

import pytest

from grokking.datasets import BabiFileError, babi_lines, load_babi
from grokking.datasets.babi import DATA_DIR, SHA256, SPLITS, TASKS, Question, Sentence, file_name

ALL = [(task, split) for task in TASKS for split in SPLITS]


def test_all_forty_files_ship_inside_the_package_compressed_and_match_their_checksums():
    shipped = importlib.resources.files("grokking.datasets") / "babi"
    total = 0
    for task, split in ALL:
        packed = shipped / (file_name(task, split) + ".gz")
        total += len(packed.read_bytes())
        assert hashlib.sha256(gzip.decompress(packed.read_bytes())).hexdigest() == SHA256[
            file_name(task, split)]
    assert len(SHA256) == 40 and total < 1_500_000
    assert (importlib.resources.files("grokking.datasets") / "LICENSE-babi.txt").read_text(
        encoding="utf-8").count("Attribution 3.0 Unported") >= 2


@pytest.mark.parametrize("task, split", ALL, ids=[f"qa{t}-{s}" for t, s in ALL])
def test_every_file_holds_1000_questions_whose_supporting_sentences_come_before_them(task, split):
    stories = load_babi(task, split)
    questions = [q for story in stories for q in story.questions]
    assert len(questions) == 1000
    for story in stories:
        numbers = [int(line.split(" ", 1)[0]) for line in story.lines]
        assert numbers == list(range(1, len(numbers) + 1))          # a story counts from 1
        told = {s.number for s in story.sentences}
        assert told | {q.number for q in story.questions} == set(numbers)
        for q in story.questions:
            assert q.supporting and all(n in told and n < q.number for n in q.supporting)
            assert q.answer and "\t" not in q.text and q.text.endswith("?")
    # the stories' raw lines, put back together, are the file
    assert [line for story in stories for line in story.lines] == babi_lines(task, split)


def test_task_1_reads_as_the_book_reads_it():
    raw = babi_lines(1, "train")                     # the book: raw = f.readlines()
    assert len(raw) == 3000 and all(line.endswith("\n") for line in raw)
    assert raw[:3] == ["1 Mary moved to the bathroom.\n", "2 John went to the hallway.\n",
                       "3 Where is Mary? \tbathroom\t1\n"]
    # the book's tokens: line.lower().replace("\n", "").split(" ")[1:]
    assert raw[0].lower().replace("\n", "").split(" ")[1:] == ["mary", "moved", "to", "the", "bathroom."]
    stories = load_babi(task=1, split="train")
    assert len(stories) == 200 and len(stories[0].lines) == 15
    first = stories[0]
    assert first.sentences[0] == Sentence(1, "Mary moved to the bathroom.")
    assert first.questions[0] == Question(3, "Where is Mary?", "bathroom", (1,))
    assert first.questions[-1] == Question(15, "Where is Sandra?", "bathroom", (8,))
    assert load_babi() == stories                    # task 1, train by default


def test_answers_of_the_other_chapters_tasks():
    assert {q.answer for s in load_babi(6, "test") for q in s.questions} == {"yes", "no"}
    assert {q.answer for s in load_babi(9) for q in s.questions} == {"yes", "no"}
    lists = [q for s in load_babi(8) for q in s.questions if "," in q.answer]
    assert lists and all(len(q.answers) == q.answer.count(",") + 1 for q in lists)
    path = [q for s in load_babi(19) for q in s.questions][0]
    assert path.answers == tuple(path.answer.split(",")) and len(path.answers) == 2
    multi = [q for s in load_babi(2) for q in s.questions]
    assert all(len(q.supporting) == 2 for q in multi)


def test_the_records_cannot_be_changed_and_the_list_is_yours():
    stories = load_babi(1)
    with pytest.raises(AttributeError):
        stories[0].questions[0].answer = "kitchen"
    stories.clear()
    assert len(load_babi(1)) == 200
    lines = babi_lines(1)
    lines[0] = "changed"
    assert babi_lines(1)[0] == "1 Mary moved to the bathroom.\n"


def test_loads_without_the_network(monkeypatch, tmp_path):
    def no_network(*args, **kwargs):
        raise AssertionError("load_babi tried to use the network")
    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    folder = _copy(tmp_path, 9, "test")           # a fresh read, not one from the cache
    assert sum(len(s.questions) for s in load_babi(9, "test", directory=folder)) == 1000


@pytest.mark.parametrize("task", [0, 21, -1, 100])
def test_a_task_that_does_not_exist_is_a_clear_error(task):
    with pytest.raises(ValueError, match=f"there is no bAbI task {task}; the tasks are 1 to 20"):
        load_babi(task)
    with pytest.raises(ValueError, match="the tasks are 1 to 20"):
        babi_lines(task)


@pytest.mark.parametrize("task", ["1", 1.0, True, None, [1]])
def test_a_task_that_is_not_a_whole_number_is_a_clear_error(task):
    with pytest.raises(TypeError, match="task must be a whole number from 1 to 20, got"):
        load_babi(task)


@pytest.mark.parametrize("split", ["valid", "Train", "", None, 1])
def test_a_split_that_does_not_exist_is_a_clear_error(split):
    with pytest.raises(ValueError, match=r"split must be 'train' or 'test', got"):
        load_babi(1, split)


def test_directory_must_be_a_folder_name():
    with pytest.raises(TypeError, match="directory must be a folder name"):
        load_babi(1, "train", directory=3)


def _copy(tmp_path, task=1, split="train"):
    name = file_name(task, split) + ".gz"
    shutil.copyfile(DATA_DIR / name, tmp_path / name)
    return tmp_path


def test_a_damaged_file_is_a_clear_error(tmp_path):
    path = _copy(tmp_path) / (file_name(1, "train") + ".gz")
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0xFF                       # one byte flipped inside the compressed data
    path.write_bytes(bytes(raw))
    with pytest.raises(BabiFileError, match="corrupt"):
        load_babi(1, directory=tmp_path)


def test_a_file_that_is_not_gzip_is_a_clear_error(tmp_path):
    (tmp_path / (file_name(1, "test") + ".gz")).write_bytes(b"1 Mary moved to the bathroom.\n")
    with pytest.raises(BabiFileError, match="not a valid gzip file"):
        load_babi(1, "test", directory=tmp_path)


def test_changed_data_fails_the_checksum(tmp_path):
    path = _copy(tmp_path) / (file_name(1, "train") + ".gz")
    text = gzip.decompress(path.read_bytes()).replace(b"bathroom", b"kitchen", 1)
    path.write_bytes(gzip.compress(text))
    with pytest.raises(BabiFileError, match="SHA-256 is [0-9a-f]{64}, expected "
                       + SHA256[file_name(1, "train")]):
        babi_lines(1, directory=tmp_path)


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(BabiFileError, match="cannot read the bAbI file"):
        load_babi(20, "test", directory=tmp_path)
