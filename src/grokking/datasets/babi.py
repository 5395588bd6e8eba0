"""The bAbI tasks: 20 kinds of short stories, each followed by questions about it.

"Towards AI-Complete Question Answering: A Set of Prerequisite Toy Tasks"
(J. Weston, A. Bordes, S. Chopra, A. M. Rush, B. van Merrienboer, A. Joulin and
T. Mikolov, 2015), version 1.1, English: for each of the 20 tasks 1,000 training
and 1,000 test questions. Copyright (c) 2015-present, Facebook, Inc., licensed
under Creative Commons Attribution 3.0 (``LICENSE-babi.txt`` next to this module).
These are the files the book's repository redistributes (``tasksv11/en/``),
unchanged, gzip-compressed in ``babi/``; ``tools/make_babi.py`` regenerates them,
and README.md here says where they are from.

A file is a list of numbered lines. A plain line is a sentence of the story; a
line with two tabs is a question, its answer and the numbers of the sentences
that answer it. The numbers start again at 1 where a new story starts:

    1 Mary moved to the bathroom.
    2 John went to the hallway.
    3 Where is Mary? <tab>bathroom<tab>1

``load_babi(task, split)`` gives the stories, each with its raw lines exactly
as the file has them (the book reads raw lines: ``f.readlines()``) and the same
lines parsed into sentences and questions. ``babi_lines`` gives all the raw
lines of a file, as ``open(...).readlines()`` would. Nothing here touches the
network: every file is inside the package and checked against its SHA-256.
"""
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .checked import read_checked_gzip

DATA_DIR = Path(__file__).with_name("babi")
SPLITS = ("train", "test")

#: The 20 tasks: number -> name (as in the file names, ``qa1_single-supporting-fact_train.txt``).
TASKS = {
    1: "single-supporting-fact", 2: "two-supporting-facts", 3: "three-supporting-facts",
    4: "two-arg-relations", 5: "three-arg-relations", 6: "yes-no-questions", 7: "counting",
    8: "lists-sets", 9: "simple-negation", 10: "indefinite-knowledge",
    11: "basic-coreference", 12: "conjunction", 13: "compound-coreference",
    14: "time-reasoning", 15: "basic-deduction", 16: "basic-induction",
    17: "positional-reasoning", 18: "size-reasoning", 19: "path-finding",
    20: "agents-motivations",
}

#: SHA-256 of each uncompressed file (the same as the SHA256SUMS the files came with;
#: printed by tools/make_babi.py).
SHA256 = {
    "qa1_single-supporting-fact_test.txt": "55acf66cef2f6d798e2aa1d056e1ec8f24e910ea9215b639450574321132959b",
    "qa1_single-supporting-fact_train.txt": "c64ba9b1a49bbb111ffc4cd2ae4f129d25c012399dd7ade9679eea464b9afb05",
    "qa2_two-supporting-facts_test.txt": "eff93fb9cd81ba02eb765772cf7cc269769ed44ec71cbbbc19cfb16ee5eba0f6",
    "qa2_two-supporting-facts_train.txt": "a4978af5bc0dc30191810e7c9949aaa6eae939ed0f6beb9fcb5f4330c2a27860",
    "qa3_three-supporting-facts_test.txt": "17795c977100baf8188f386522ae301b62d6c1a13efc01b3aea781e588b4d57f",
    "qa3_three-supporting-facts_train.txt": "a6e78019f36a02a7ed71fe6aaded0b563ff09c8deec392931801fcd9c6af4d60",
    "qa4_two-arg-relations_test.txt": "07f0ca18ddeea9eed4ba6d59e162adcb0ce44815721114b3540d92825509331e",
    "qa4_two-arg-relations_train.txt": "c9370502d85fa382f32d1fea2111e817f81ae9e3e79eb2924a1a5392a90417fa",
    "qa5_three-arg-relations_test.txt": "ec825c1c8a76e63a31f0d7a7763cd63740e98332fa9bdf246a19068949bd5f97",
    "qa5_three-arg-relations_train.txt": "086cd59c3ca9677bfac3d6a22ca5853c76a5c1fbae3159c7c4a6aef759a74ec0",
    "qa6_yes-no-questions_test.txt": "b108b16f1eccbd1c24df6dca2649079a7b2f10af7fd12d4c45a3393802de59e3",
    "qa6_yes-no-questions_train.txt": "5a133115ee35d475776df703ff605d145b11effbcdbf7e74861f9d5639246a5a",
    "qa7_counting_test.txt": "a74d1f2b91329b2bae814d41cdac2fbdfdf0328562b7d8afa9a0fa576d461e27",
    "qa7_counting_train.txt": "dca03bd91876951c49f1c971c83c9dd55404de60201b7b6435451cf7ddb4751c",
    "qa8_lists-sets_test.txt": "362a653c821a580fa315a85243b4f03bfa06fa7e0269b6f8e596f8fe6911646a",
    "qa8_lists-sets_train.txt": "058604df6f9440458317e8ae685d2b7b84261e1a80b4d6410a9140d16f81bf06",
    "qa9_simple-negation_test.txt": "63590aff3f89993db409f0e9a9eb39c2a5b9d5efff99b255d800a891b0044d9f",
    "qa9_simple-negation_train.txt": "0c3b89921af0caea1c4059ee3f7b7f2a88869f924195a428da37820446b8c49f",
    "qa10_indefinite-knowledge_test.txt": "fde8f20ed0b3ba979058ed391a566af34653f23baab5b2793ee37f87ef4e88b7",
    "qa10_indefinite-knowledge_train.txt": "0b7691689447bab05476c5b48c44999b41e747c3978df69c18fdd87b60d6e8b3",
    "qa11_basic-coreference_test.txt": "46f3290d0158ce1285a40cd2d793f5a65f86ae5000226e165cbc85a3dfeb2f6f",
    "qa11_basic-coreference_train.txt": "9468de9a1f256f43dfda693a5d07182d21149a82b65f7c2451c64e9cff5eb138",
    "qa12_conjunction_test.txt": "6437718f8f9801ce345869e910b896836cdc6fd2d01dc7b4d2df49730703b4b1",
    "qa12_conjunction_train.txt": "45c2764bb2d3c8f699d35e9d9aa7958fcd96379c6e907116cdf74526c108bb25",
    "qa13_compound-coreference_test.txt": "76a25b684f23c9cc473d8cd1465506168b9a1ec8891cfc59d0bbd87e6a064990",
    "qa13_compound-coreference_train.txt": "533a391edbda743e4c99504de88b40cdded5b1d5ef454d1390f0863f748a4cc9",
    "qa14_time-reasoning_test.txt": "e3f0b19858ffbec3ed1e49076cc4d1295a89ce146c50318b862f13f202b3caf2",
    "qa14_time-reasoning_train.txt": "b7561cbc624205c9c2fdbb8c843cfa8ad90edd65e78bb223fc6dea8113662df8",
    "qa15_basic-deduction_test.txt": "32b77e117fe9acf5f94906684e3b5206de0108e646c76e1da3e022896ec7ee94",
    "qa15_basic-deduction_train.txt": "e856ebfdcce4dd7d617c1d10f985e96a0850c0ca18e9a19a017cb710d135ed3d",
    "qa16_basic-induction_test.txt": "d38f01e551f7148eb886b9248264098fe9e0e709fe6fdd1f1186451e1a105838",
    "qa16_basic-induction_train.txt": "a3448f8cbb8ece4d5c48fa3bb5dfc0d2d4ad82b3da50c8c09c5fbe02ea6806b9",
    "qa17_positional-reasoning_test.txt": "9e1e0250ed4ec1831757fab26c04138f81ea557ebf6976a220db879cbed04bac",
    "qa17_positional-reasoning_train.txt": "20083bf56ff74f0e7cf5e3e2f8c3905cdb8ef09293c3e8cf7a96ed8b45ae2277",
    "qa18_size-reasoning_test.txt": "d34f70eb7228a276fcb3a7854174fe562c5634f4fb454a39fc3d1ad9934be3ef",
    "qa18_size-reasoning_train.txt": "18b7dcf52c9a0e87e4e7dd3d65b7e5a630de039645f52a1294197af7481d739d",
    "qa19_path-finding_test.txt": "023e391f0d7f79c9e6ae1c46c093e2d0dbd50ab8fbd8965e037a75e3614c20e5",
    "qa19_path-finding_train.txt": "dcb788352a56effb7bea1449128f31cc9c342c8c327b6df2caeee0e379e6ad3a",
    "qa20_agents-motivations_test.txt": "bd3bde3788ac14ba0ae095078f7b820fbd2bfa6a34dba9d1d46a34afde9c2729",
    "qa20_agents-motivations_train.txt": "29580ad55fb7b4b29ba014696056cc68f8f347dac3be88470fd692ad60150398",
}


class BabiFileError(RuntimeError):
    """A shipped bAbI file is missing, damaged or not the one this package was made with."""


@dataclass(frozen=True)
class Sentence:
    """One sentence of a story: its number in the story and its text (``"Mary moved to the bathroom."``)."""
    number: int
    text: str


@dataclass(frozen=True)
class Question:
    """One question: its number, its text, its answer as written (``"bathroom"``; ``"apple,football"``
    in task 8, ``"s,e"`` in task 19), and the numbers of the sentences that answer it."""
    number: int
    text: str
    answer: str
    supporting: tuple

    @property
    def answers(self):
        """The answer as a tuple of words: ``"apple,football"`` -> ``("apple", "football")``."""
        return tuple(self.answer.split(","))


@dataclass(frozen=True)
class Story:
    """One story, from a line numbered 1 to the line before the next 1.

    lines: its raw lines exactly as the file has them, each ending in ``"\\n"``;
    sentences, questions: the same lines parsed, in file order.
    """
    lines: tuple
    sentences: tuple
    questions: tuple


def file_name(task, split):
    """The file name of ``task`` (1..20) and ``split`` ("train" or "test"), e.g.
    ``qa1_single-supporting-fact_train.txt``; a clear error for a task or split that does not exist."""
    if isinstance(task, bool) or not isinstance(task, int):
        raise TypeError(f"load_babi: task must be a whole number from 1 to 20, got {task!r}")
    if task not in TASKS:
        raise ValueError(f"load_babi: there is no bAbI task {task}; the tasks are 1 to 20 "
                         f"(1 {TASKS[1]}, 6 {TASKS[6]}, 9 {TASKS[9]}, ...)")
    if split not in SPLITS:
        raise ValueError(f"load_babi: split must be 'train' or 'test', got {split!r}")
    return f"qa{task}_{TASKS[task]}_{split}.txt"


def _check_directory(directory):
    if directory is not None and not isinstance(directory, (str, os.PathLike)):
        raise TypeError(f"load_babi: directory must be a folder name (a str or a Path), got {directory!r}")
    return str(DATA_DIR if directory is None else directory)


@lru_cache(maxsize=None)
def _checked_text(directory, name):
    """The uncompressed text of ``name`` in ``directory``, checked against ``SHA256``."""
    return read_checked_gzip(Path(directory) / (name + ".gz"), SHA256[name], BabiFileError,
                             "load_babi", "bAbI", "tools/make_babi.py")


def _parse_line(line):
    """A raw line as ``(number, Sentence or Question)``."""
    number_text, _, rest = line.rstrip("\n").partition(" ")
    number = int(number_text)
    if "\t" in rest:
        question, answer, supporting = rest.split("\t")
        return number, Question(number, question.strip(), answer,
                                tuple(int(n) for n in supporting.split()))
    return number, Sentence(number, rest)


@lru_cache(maxsize=None)
def _stories(directory, name):
    stories, lines, sentences, questions = [], [], [], []
    for line in _checked_text(directory, name).splitlines(keepends=True):
        number, item = _parse_line(line)
        if number == 1 and lines:
            stories.append(Story(tuple(lines), tuple(sentences), tuple(questions)))
            lines, sentences, questions = [], [], []
        lines.append(line)
        (questions if isinstance(item, Question) else sentences).append(item)
    stories.append(Story(tuple(lines), tuple(sentences), tuple(questions)))
    return tuple(stories)


def load_babi(task=1, split="train", directory=None):
    """The stories of bAbI task ``task`` (1..20), ``split`` "train" or "test": a list of ``Story``.

    Every story keeps its raw lines (``story.lines``) and has them parsed
    (``story.sentences``, ``story.questions``). Each task has 1,000 questions
    per split; how many stories hold them depends on the task (task 1: 200).
    directory: read the ``.gz`` files from another folder (for tests); by default
    the ones inside the package.

    Raises TypeError or ValueError for a task or split that does not exist, and
    ``BabiFileError`` if the file is missing or its checksum is wrong.
    """
    name = file_name(task, split)
    return list(_stories(_check_directory(directory), name))


def babi_lines(task=1, split="train", directory=None):
    """Every raw line of the file, each ending in ``"\\n"``: what ``open(file).readlines()`` gives.

    The book reads the task this way: ``raw = f.readlines()``, then ``raw[0:1000]``.
    """
    name = file_name(task, split)
    return _checked_text(_check_directory(directory), name).splitlines(keepends=True)
