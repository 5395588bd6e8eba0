"""grokking.networks.paillier against exact arithmetic (``fractions.Fraction``) and against the
``phe`` package (the book's chapter 15 library) on the same primes: every operation decrypts to the
exact result of the arithmetic on the stored numbers, rounded once to a float, or raises a clear
OverflowError exactly where the module's docstring says; hypothesis checks it at and around every
limit. Bad input gets a clear error. Keys are 128 to 512 bits here, so the file takes seconds."""
import math
import random
from dataclasses import dataclass
from fractions import Fraction

import phe
import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from grokking.networks import paillier
from grokking.networks.paillier import (FRACTION_BITS, Ciphertext, generate_keypair, is_probable_prime,
                               keypair_from_primes)

STEP = 2.0 ** -FRACTION_BITS
HALF_STEP = Fraction(1, 2 ** (FRACTION_BITS + 1))   # how far an encrypted float may be from the float


@pytest.fixture(scope="module")
def keys():
    return generate_keypair(256, rng=7)


@pytest.fixture(scope="module")
def small_keys():
    """Chapter 17's 128-bit key: the tightest limits."""
    return generate_keypair(128, rng=15)


def phe_pair(keys):
    """``phe``'s key pair made of our p and q."""
    public_key, private_key = keys
    phe_public = phe.PaillierPublicKey(public_key.n)
    return phe_public, phe.PaillierPrivateKey(phe_public, private_key.p, private_key.q)


@pytest.fixture(scope="module")
def phe_keys(keys):
    return phe_pair(keys)


def to_phe(ciphertext, phe_public):
    """Our ciphertext as ``phe``'s: phe counts its exponent in powers of 16, so ours first goes down
    to a multiple of 4 (``2**-40 = 16**-10``)."""
    exponent = ciphertext.exponent - ciphertext.exponent % 4
    return phe.EncryptedNumber(phe_public, ciphertext.with_exponent(exponent).value, exponent // 4)


def from_phe(number, public_key):
    """``phe``'s ciphertext as ours (a float if its exponent is not 0)."""
    return Ciphertext(public_key, number.ciphertext(be_secure=False), 4 * number.exponent,
                      number.exponent != 0)


def stored(x):
    """The number the docstring says ``x`` is encrypted (or added) as, worked out with fractions: an int
    itself; a float itself if it is a multiple of 2**-40 (every float from 2**13 up is), else the
    nearest multiple (Python's round: halves go to the even one)."""
    exact = Fraction(x)
    if isinstance(x, int) or (exact * 2 ** FRACTION_BITS).denominator == 1:
        return exact
    return Fraction(round(exact * 2 ** FRACTION_BITS), 2 ** FRACTION_BITS)


# -- key generation --------------------------------------------------------------------

@pytest.mark.parametrize("bits", [128, 130, 256, 512])
def test_n_has_exactly_the_bits_asked_for_and_its_factors_are_prime(bits):
    public_key, private_key = generate_keypair(bits, rng=bits)
    assert public_key.n.bit_length() == bits == public_key.bits
    assert private_key.p * private_key.q == public_key.n and private_key.p != private_key.q
    assert phe.util.is_prime(private_key.p) and phe.util.is_prime(private_key.q)


def test_a_seed_gives_the_same_keys_and_ciphertexts_every_time():
    (a, _), (b, _), (c, _) = generate_keypair(128, rng=3), generate_keypair(128, rng=3), \
        generate_keypair(128, rng=4)
    assert a.n == b.n != c.n
    assert a.encrypt(1.5).value == b.encrypt(1.5).value
    seeded, _ = generate_keypair(128, rng=random.Random(3))
    assert seeded.n == a.n


def test_without_rng_the_keys_come_from_secrets_and_differ():
    (a, private_a), (b, _) = generate_keypair(128), generate_keypair(128)
    assert a.n != b.n and a.bits == 128
    assert private_a.decrypt(a.encrypt(-3.25) + 1) == -2.25


def test_miller_rabin_agrees_with_a_sieve_and_rejects_carmichael_numbers():
    bits = random.Random(0).getrandbits
    sieve = [n for n in range(5000) if n > 1 and all(n % d for d in range(2, int(n ** 0.5) + 1))]
    assert [n for n in range(5000) if is_probable_prime(n, bits)] == sieve
    for carmichael in (561, 41041, 825265, 321197185, 5394826801, 232250619601, 9746347772161):
        assert not is_probable_prime(carmichael, bits)
    assert is_probable_prime(2 ** 127 - 1, bits) and not is_probable_prime(2 ** 128 + 1, bits)


# -- the encoding, against the docstring -------------------------------------------------

def odd_form(value):
    """A Fraction whose denominator is a power of 2 as (m, e): value = m * 2**e with m odd (or 0, 0)."""
    if value == 0:
        return 0, 0
    exponent = 0
    while value.denominator != 1:
        value, exponent = value * 2, exponent - 1
    m = int(value)
    while m % 2 == 0:
        m, exponent = m // 2, exponent + 1
    return m, exponent


@dataclass(frozen=True)
class Hidden:
    """What a ciphertext should hold, by the docstring's rules: its exact number (``value``), the
    number without the fixed point's rounding (``truth``) and how far apart they may be (``slack``),
    its exponent, its public bound, and whether it decrypts to a float."""
    value: Fraction
    truth: Fraction
    slack: Fraction
    exponent: int
    bound: int
    is_float: bool


def hidden_encryption(x, max_int):
    """``encrypt(x)`` by the docstring, or None where it must raise OverflowError."""
    value = stored(x)
    if isinstance(x, int):
        exponent = 0
    elif abs(value) < 2 ** 13:
        exponent = -FRACTION_BITS
    else:                                                # its 53 bits: 2**52 <= |m| < 2**53
        exponent = int(abs(value)).bit_length() - 53
    m = value / Fraction(2) ** exponent
    assert m.denominator == 1
    if abs(m) > max_int:
        return None
    bound = min(2 ** max(53, abs(int(m)).bit_length()) - 1, max_int)
    return Hidden(value, Fraction(x), abs(value - Fraction(x)), exponent, bound, isinstance(x, float))


def plain_addend(y):
    """(m, e, value) of a plain number added to a ciphertext: an int itself; a float in its odd form
    down to 2**-40, else rounded to the fixed point."""
    value = stored(y)
    if isinstance(y, int):
        return y, 0, value
    if (Fraction(y) * 2 ** FRACTION_BITS).denominator == 1:
        return (*odd_form(value), value)
    return int(value * 2 ** FRACTION_BITS), -FRACTION_BITS, value


def add(a, b, max_int):
    """``a + b`` for Hidden a and b (b may be a plain number as a Hidden of bound |m|); None: overflow."""
    exponent = min(a.exponent, b.exponent)
    bound = (a.bound << (a.exponent - exponent)) + (b.bound << (b.exponent - exponent))
    if bound > max_int:
        return None
    return Hidden(a.value + b.value, a.truth + b.truth, a.slack + b.slack, exponent, bound,
                  a.is_float or b.is_float)


def times(a, k, max_int):
    """``a * k`` for a plain k (stored exactly, in its odd form); None: overflow."""
    m, exponent = (k, 0) if isinstance(k, int) else odd_form(Fraction(k))
    bound = a.bound * abs(m)
    if bound > max_int:
        return None
    return Hidden(a.value * Fraction(k), a.truth * Fraction(k), a.slack * abs(Fraction(k)),
                  a.exponent + exponent, bound, a.is_float or isinstance(k, float))


def hidden_step(a, operation, y, max_int):
    """What ``a <operation> y`` should hold, or None where it must raise OverflowError."""
    if operation == "neg":
        return times(a, -1, max_int)
    if operation == "* plain":
        return times(a, y, max_int)
    if operation in ("+ encrypted", "- encrypted"):
        b = hidden_encryption(y, max_int)
        if b is not None and operation == "- encrypted":
            b = times(b, -1, max_int)
        return None if b is None else add(a, b, max_int)
    if operation == "plain -":
        a = times(a, -1, max_int)
    m, exponent, value = plain_addend(y)
    b = Hidden(value, Fraction(y), abs(value - Fraction(y)), a.exponent if m == 0 else exponent,
               abs(m), isinstance(y, float))
    return add(a, b, max_int)


def step(ciphertext, operation, y):
    public_key = ciphertext.public_key
    return {"neg": lambda: -ciphertext,
            "* plain": lambda: ciphertext * y,
            "+ encrypted": lambda: ciphertext + public_key.encrypt(y),
            "- encrypted": lambda: ciphertext - public_key.encrypt(y),
            "+ plain": lambda: ciphertext + y,
            "plain -": lambda: y - ciphertext}[operation]()


OPERATION_NAMES = {"neg": "Ciphertext \\*", "* plain": "Ciphertext \\*", "+ plain": "Ciphertext \\+",
                   "plain -": "Ciphertext [*+]", "+ encrypted": "(encrypt|Ciphertext \\+)",
                   "- encrypted": "(encrypt|Ciphertext \\+)"}
LIMIT = r"n // 3"


def numbers_near_the_limits(max_int):
    """Ints and floats at and around every limit: max_int, 53 bits, the fixed point's step and its
    halves, 2**13 (where floats keep their own 53 bits), tiny and huge floats, zero, negatives."""
    ints = st.one_of(st.integers(-2 ** 64, 2 ** 64), st.integers(-2 ** 130, 2 ** 130),
                     st.sampled_from([0, 1, -1, 3, 2 ** 53 - 1, 2 ** 53, -(2 ** 53) - 1]),
                     st.integers(-3, 3).map(lambda d: max_int + d),
                     st.integers(-3, 3).map(lambda d: d - max_int))
    floats = st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.floats(-1e6, 1e6),
                       st.integers(-2 ** 52, 2 ** 52).map(lambda k: k * 2.0 ** -(FRACTION_BITS + 1)),
                       st.floats(-1e-300, 1e-300), st.floats(2.0 ** 12, 2.0 ** 14),
                       st.sampled_from([0.0, -0.0, 5e-324, 2.0 ** -41, 3 * 2.0 ** -41, 2.0 ** 13,
                                        8191.999999999999, -(2.0 ** 85), 123456789.0,
                                        1.7976931348623157e308]))
    return st.one_of(ints, floats)


@st.composite
def programs(draw, max_int):
    numbers = numbers_near_the_limits(max_int)
    operations = st.sampled_from(["neg", "* plain", "+ encrypted", "- encrypted", "+ plain", "plain -"])
    return draw(numbers), draw(st.lists(st.tuples(operations, numbers), max_size=3))


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_every_operation_is_exact_or_a_clear_overflow_error(small_keys, data):
    """A start encrypted, then up to three operations: each raises OverflowError (naming itself and
    n // 3) exactly where the docstring's bounds pass n // 3; otherwise the ciphertext has the exponent
    and bound the docstring gives it, its hidden m is within that bound, and it decrypts to the exact
    result rounded once (or an OverflowError if that is beyond every float), within the fixed point's
    2**-41 per rounded float of the unrounded result."""
    public_key, private_key = small_keys
    max_int = public_key.max_int
    start, operations = data.draw(programs(max_int))
    hidden = hidden_encryption(start, max_int)
    if hidden is None:
        event("encrypt: overflow")
        with pytest.raises(OverflowError, match=f"encrypt: .* {LIMIT}"):
            public_key.encrypt(start)
        return
    ciphertext = public_key.encrypt(start)
    for operation, y in operations:
        hidden = hidden_step(hidden, operation, y, max_int)
        if hidden is None:
            event(f"{operation}: overflow")
            with pytest.raises(OverflowError, match=f"{OPERATION_NAMES[operation]}: .*{LIMIT}"):
                step(ciphertext, operation, y)
            return
        ciphertext = step(ciphertext, operation, y)
        assert (ciphertext.exponent, ciphertext.bound, ciphertext.is_float) == \
            (hidden.exponent, hidden.bound, hidden.is_float)
        m = hidden.value / Fraction(2) ** hidden.exponent
        assert m.denominator == 1 and abs(m) <= hidden.bound
        assert abs(hidden.value - hidden.truth) <= hidden.slack
    event(f"decrypted after {len(operations)} operations")
    if not hidden.is_float:
        assert private_key.decrypt(ciphertext) == hidden.value
        return
    try:
        want = float(hidden.value)
    except OverflowError:
        event("decrypt: too big for a float")
        with pytest.raises(OverflowError, match="decrypt: .* too big for a float"):
            private_key.decrypt(ciphertext)
        return
    assert private_key.decrypt(ciphertext) == want


def test_the_docstrings_examples(small_keys):
    public_key, private_key = small_keys
    n = public_key.n
    examples = {0.1: (109951162778, -40), -0.75: (-824633720832, -40), 123456789.0: (8285044862877696, -26),
                1e20: (6103515625000000, 14)}
    for x, (m, exponent) in examples.items():
        assert paillier.fixed_point(x) == paillier.Encoded(m, exponent, True)
        assert Fraction(m) * Fraction(2) ** exponent == stored(x)
    assert -824633720832 % n == n - 824633720832
    assert paillier.exactly(987654321.0) == paillier.Encoded(987654321, 0, True)
    assert paillier.exactly(0.75) == paillier.Encoded(3, -2, True)
    total = public_key.encrypt(123456789.0) + public_key.encrypt(0.1)
    assert (total.exponent, private_key.raw_decrypt(total.value)) == (-40, 123456789 * 2 ** 40 + 109951162778)
    product = public_key.encrypt(0.1) * 987654321.0
    assert (product.exponent, private_key.raw_decrypt(product.value)) == (-40, 109951162778 * 987654321)
    assert private_key.decrypt(product) == float(Fraction(109951162778 * 987654321, 2 ** 40))


# -- the limits, one by one (chapter 17's 128-bit key) ---------------------------------------

def test_the_examples_of_issue_22_are_right_or_refused(small_keys):
    public_key, private_key = small_keys
    assert private_key.decrypt(public_key.encrypt(123456789.0) * 987654321.0) == 123456789.0 * 987654321.0
    assert private_key.decrypt(public_key.encrypt(2 ** 110 + 12345) + 0.5) == \
        float(Fraction(2 ** 111 + 24691, 2))
    with pytest.raises(OverflowError, match=r"Ciphertext \*: multiplying by 3 .* n // 3 = 2\*\*125.8"):
        public_key.encrypt(public_key.max_int) * 3
    with pytest.raises(OverflowError, match=r"Ciphertext \+: lining up the exponents doubles m 40 times"):
        public_key.encrypt(2 ** 110) + 0.1


def test_max_int_is_the_edge_of_encrypt(small_keys):
    public_key, private_key = small_keys
    biggest = public_key.max_int
    for k in (biggest, -biggest):
        assert private_key.decrypt(public_key.encrypt(k)) == k
        assert private_key.decrypt(-public_key.encrypt(k)) == -k
        with pytest.raises(OverflowError, match=r"encrypt: .* at most n // 3 = 2\*\*125.8"):
            public_key.encrypt(k + (1 if k > 0 else -1))
    with pytest.raises(OverflowError, match=r"Ciphertext \+: adding the two"):
        public_key.encrypt(biggest) + public_key.encrypt(-1)            # the bound cannot know the sign


@settings(max_examples=60, deadline=None)
@given(bits=st.integers(1, 125), sign=st.sampled_from([1, -1]), data=st.data())
def test_products_and_sums_that_just_fit_and_just_overflow(small_keys, bits, sign, data):
    """``encrypt(k)`` of ``bits`` bits has the bound 2**max(53, bits) - 1; times j it fits exactly while
    bound * |j| <= n // 3, and plus j while bound + |j| <= n // 3."""
    public_key, private_key = small_keys
    max_int = public_key.max_int
    k = sign * data.draw(st.integers(2 ** (bits - 1), 2 ** bits - 1))
    encrypted = public_key.encrypt(k)
    bound = 2 ** max(53, bits) - 1
    assert encrypted.bound == bound
    most = max_int // bound
    for j in (most, -most):
        assert private_key.decrypt(encrypted * j) == k * j
        with pytest.raises(OverflowError, match=r"Ciphertext \*: .* n // 3"):
            encrypted * (j + (1 if j > 0 else -1))
    room = max_int - bound
    for j in (room, -room):
        assert private_key.decrypt(encrypted + j) == k + j
        with pytest.raises(OverflowError, match=r"Ciphertext \+: .* n // 3"):
            encrypted + (j + (1 if j > 0 else -1))


def test_the_fixed_point_step_tiny_and_huge_floats(small_keys):
    public_key, private_key = small_keys
    decrypt, encrypt = private_key.decrypt, public_key.encrypt
    assert decrypt(encrypt(2.0 ** -41)) == 0.0                      # a half step: to the even neighbour, 0
    assert decrypt(encrypt(3 * 2.0 ** -41)) == 2 * STEP             # 1.5 steps: to 2
    assert decrypt(encrypt(5e-324)) == 0.0 and decrypt(encrypt(1.0) * 5e-324) == 5e-324
    assert decrypt(encrypt(3) * 1e-300 * 2.0 ** -60) == float(3 * Fraction(1e-300) / 2 ** 60)   # subnormal
    biggest = 1.7976931348623157e308
    assert decrypt(encrypt(biggest)) == biggest and decrypt(encrypt(-biggest) * 0.5) == -biggest / 2
    with pytest.raises(OverflowError, match=r"decrypt: the result, about 2\*\*1025.0, is too big for a"):
        decrypt(encrypt(biggest) * 2)
    assert decrypt(encrypt(2.0 ** 84 + 2.0 ** 32) + 0.1) == 2.0 ** 84 + 2.0 ** 32     # the sum's limit: 2**85
    with pytest.raises(OverflowError, match=r"Ciphertext \+: lining up the exponents"):
        encrypt(2.0 ** 85) + encrypt(0.1)
    with pytest.raises(OverflowError, match=r"Ciphertext \*: multiplying by 0.1 \(52 bits\)"):
        encrypt(0.1) * 0.1 * 0.1                                    # three 53-bit numbers: 159 bits


def test_decrypt_refuses_what_the_bounds_cannot_vouch_for(small_keys):
    public_key, private_key = small_keys
    big = public_key.encrypt(2 ** 60)
    with pytest.raises(ValueError, match="bigger than the ciphertext's bound"):
        private_key.decrypt(Ciphertext(public_key, big.value, 0, False, 5))
    middle = Ciphertext(public_key, public_key.raw_encrypt(public_key.max_int + 1))
    with pytest.raises(OverflowError, match="decrypt: the number inside overflowed the encodable range"):
        private_key.decrypt(middle)


# -- against phe on the same primes ----------------------------------------------------------

def random_products(count=200, seed=22):
    """Issue 22's experiment: products x * y with |x * y| >= 2**47 (the first is the issue's own)."""
    rng = random.Random(seed)
    pairs = [(123456789.0, 987654321.0)]
    while len(pairs) < count:
        x = rng.choice((-1, 1)) * 2 ** rng.uniform(0, 50)
        y = rng.choice((-1, 1)) * 2 ** rng.uniform(0, 50)
        if abs(x * y) >= 2 ** 47:
            pairs.append((x, y))
    return pairs


def test_the_200_products_of_issue_22_are_right_as_phe_gets_them(small_keys):
    """Before this encoding, 137 of these decrypted wrong without a word and 63 raised OverflowError
    on this key; phe got all 200 right. Now every one is the exact product of the stored numbers,
    rounded once, and equals phe's wherever x is stored exactly (|x| >= 2**13)."""
    public_key, private_key = small_keys
    phe_public, phe_private = phe_pair(small_keys)
    for x, y in random_products():
        ours = private_key.decrypt(public_key.encrypt(x) * y)
        theirs = phe_private.decrypt(phe_public.encrypt(x) * y)
        assert ours == float(stored(x) * Fraction(y))
        assert abs(Fraction(ours) - Fraction(x) * Fraction(y)) <= \
            abs(Fraction(y)) * HALF_STEP + abs(Fraction(x) * Fraction(y)) * Fraction(1, 2 ** 52)
        if stored(x) == Fraction(x):
            assert ours == theirs


@pytest.mark.parametrize("x", [0, 5, -5, 2 ** 100, -(2 ** 100), 0.0, 0.1, -0.1, 3.75, -1234.5678, 1e-13,
                               123456789.0, 1e20, -1.7976931348623157e308, 5e-324])
def test_phe_decrypts_our_ciphertexts_and_we_decrypt_phes(keys, phe_keys, x):
    public_key, private_key = keys
    phe_public, phe_private = phe_keys
    ours = public_key.encrypt(x)
    assert phe_private.decrypt(to_phe(ours, phe_public)) == private_key.decrypt(ours) == \
        (int(stored(x)) if isinstance(x, int) else float(stored(x)))
    theirs = phe_public.encrypt(x)                          # phe's own encoding: exact
    assert private_key.decrypt(from_phe(theirs, public_key)) == phe_private.decrypt(theirs) == x
    if isinstance(x, float) and abs(x) < 2 ** 13:           # phe told to use our fixed point
        fixed = phe_public.encrypt(x, precision=STEP)
        assert fixed.exponent == -FRACTION_BITS // 4
        assert private_key.decrypt(from_phe(fixed, public_key)) == phe_private.decrypt(fixed) == \
            private_key.decrypt(ours)


def test_a_phe_key_pair_works_here_and_sums_agree():
    phe_public, phe_private = phe.generate_paillier_keypair(n_length=256)
    public_key, private_key = keypair_from_primes(phe_private.p, phe_private.q)
    assert public_key.n == phe_public.n
    total = phe_public.encrypt(7) + phe_public.encrypt(-12)
    assert private_key.decrypt(from_phe(total, public_key)) == -5
    ours = public_key.encrypt(0.75) + public_key.encrypt(-2.5) + 1
    assert phe_private.decrypt(to_phe(ours, phe_public)) == -0.75
    assert phe_private.raw_decrypt(public_key.raw_encrypt(12345)) == 12345
    assert private_key.raw_decrypt(phe_public.raw_encrypt(12345)) == 12345


moderate = st.one_of(st.integers(-(2 ** 60), 2 ** 60), st.just(0.0), st.floats(1e-6, 1e6),
                     st.floats(-1e6, -1e-6))


@settings(max_examples=80, deadline=None)
@given(x=moderate, y=moderate)
@example(x=2 ** 53 + 1, y=0.0)          # (found by hypothesis: see the read_by_phe line)
def test_against_phe_on_the_same_primes(keys, phe_keys, x, y):
    """Products, sums and differences: ours is phe's wherever our fixed point stores x and y exactly,
    and within 2**-41 per rounded float of it elsewhere; phe reads our results and we read phe's."""
    public_key, private_key = keys
    phe_public, phe_private = phe_keys
    ours_x, theirs_x = public_key.encrypt(x), phe_public.encrypt(x)
    rounding, rounding_y = abs(stored(x) - Fraction(x)), abs(stored(y) - Fraction(y))
    cases = [(ours_x * y, theirs_x * y, rounding * abs(Fraction(y))),
             (ours_x + public_key.encrypt(y), theirs_x + phe_public.encrypt(y), rounding + rounding_y),
             (ours_x + y, theirs_x + y, rounding + rounding_y),
             (y - ours_x, y - theirs_x, rounding + rounding_y)]
    for ours, theirs, slack in cases:
        got, want = private_key.decrypt(ours), phe_private.decrypt(theirs)
        # phe reads an exponent of 0 as an int, exactly; our float result is the float of it, as
        # Python's own arithmetic gives (2**53 + 1 + 0.0 is 2**53): the same number, as a float.
        read_by_phe = phe_private.decrypt(to_phe(ours, phe_public))
        assert (float(read_by_phe) if isinstance(got, float) else read_by_phe) == got
        assert private_key.decrypt(from_phe(theirs, public_key)) == want
        if slack == 0:
            assert got == want
        else:
            assert abs(Fraction(got) - Fraction(want)) <= slack + abs(Fraction(want)) * Fraction(1, 2 ** 52)


# -- the homomorphic properties ---------------------------------------------------------

whole = st.integers(-(2 ** 60), 2 ** 60)


@settings(max_examples=60, deadline=None)
@given(a=whole, b=whole)
def test_adding_ciphertexts_adds_whole_numbers_exactly(keys, a, b):
    public_key, private_key = keys
    assert private_key.decrypt(public_key.encrypt(a) + public_key.encrypt(b)) == a + b
    assert private_key.decrypt(public_key.encrypt(a) - public_key.encrypt(b)) == a - b
    assert private_key.decrypt(public_key.encrypt(a) + b) == a + b
    assert private_key.decrypt(b + public_key.encrypt(a)) == a + b
    assert isinstance(private_key.decrypt(public_key.encrypt(a) * b), int)


def test_every_encryption_looks_different_but_decrypts_the_same(keys):
    public_key, private_key = keys
    a, b = public_key.encrypt(5), public_key.encrypt(5)
    assert a.value != b.value and private_key.decrypt(a) == private_key.decrypt(b) == 5
    assert 0 < a.value < public_key.n_squared
    assert (a.bound, public_key.encrypt(0.1).bound, public_key.encrypt(-3.0).bound) == (2 ** 53 - 1,) * 3


def test_the_sum_of_three_weights_is_the_plain_sum_to_half_a_step(keys):
    public_key, private_key = keys
    weights = [0.123456789012345, -0.98765432109876, 0.5555555555555]
    total = public_key.encrypt(weights[0]) + public_key.encrypt(weights[1]) + public_key.encrypt(weights[2])
    assert abs(private_key.decrypt(total) / 3 - sum(weights) / 3) <= STEP / 2 + 1e-16


# -- clear errors ------------------------------------------------------------------------

def test_a_ciphertext_of_another_key_is_refused(keys):
    public_key, private_key = keys
    other, _ = generate_keypair(256, rng=8)
    with pytest.raises(ValueError, match="made with another public key"):
        private_key.decrypt(other.encrypt(1))
    with pytest.raises(ValueError, match="different public keys"):
        public_key.encrypt(1) + other.encrypt(1)


@pytest.mark.parametrize("x", [2 ** 300, -(2 ** 300)])
def test_a_whole_number_outside_the_encodable_range_is_refused(keys, x):
    public_key, _ = keys
    with pytest.raises(OverflowError, match=r"outside the encodable range of this 256-bit key"):
        public_key.encrypt(x)


@pytest.mark.parametrize("bits", [0, 16, 64, 127])
def test_a_key_too_small_is_refused(bits):
    with pytest.raises(ValueError, match=f"a key of {bits} bits is too small: bits must be at least 128"):
        generate_keypair(bits)


@pytest.mark.parametrize("call, error, words", [
    (lambda pk, sk: pk.encrypt("1"), TypeError, "encrypt: the number must be an int or a float, got str"),
    (lambda pk, sk: pk.encrypt(True), TypeError, "encrypt: the number must be an int or a float, got bool"),
    (lambda pk, sk: pk.encrypt(math.nan), ValueError, "encrypt: the number must be finite"),
    (lambda pk, sk: pk.encrypt(math.inf), ValueError, "finite"),
    (lambda pk, sk: pk.encrypt(1) * math.nan, ValueError, r"Ciphertext \*: the number must be finite"),
    (lambda pk, sk: pk.encrypt(1) + -math.inf, ValueError, r"Ciphertext \+: the number must be finite"),
    (lambda pk, sk: pk.encrypt(1.5).with_exponent(0), ValueError, "the exponent can only go down"),
    (lambda pk, sk: pk.encrypt(1) * pk.encrypt(2), TypeError, "cannot multiply two ciphertexts"),
    (lambda pk, sk: pk.encrypt(1) + "2", TypeError, "unsupported operand"),
    (lambda pk, sk: sk.decrypt(5), TypeError, "expected a Ciphertext, got int"),
    (lambda pk, sk: generate_keypair(128.0), TypeError, "bits must be a whole number"),
    (lambda pk, sk: generate_keypair(128, rng="seed"), TypeError, "rng must be None"),
    (lambda pk, sk: keypair_from_primes(sk.p, sk.p), ValueError, "two different primes"),
    (lambda pk, sk: keypair_from_primes(sk.p, sk.q + 1), ValueError, "is not a prime"),
    (lambda pk, sk: keypair_from_primes(101, 103), ValueError, "too small"),
    (lambda pk, sk: paillier.PrivateKey(pk, 3, 5), ValueError, "p \\* q must be the public key's n"),
    (lambda pk, sk: paillier.PublicKey(2 ** 64 + 1), ValueError, "n has 65 bits, too small"),
    (lambda pk, sk: paillier.PublicKey(2.0 ** 200), TypeError, "n must be a whole number"),
    (lambda pk, sk: Ciphertext(pk, 0), ValueError, "between 1 and n\\^2 - 1"),
    (lambda pk, sk: Ciphertext(pk, pk.n_squared), ValueError, "between 1 and n\\^2 - 1"),
    (lambda pk, sk: Ciphertext(pk, 5, -1), ValueError, r"exponent must be a whole number \(>= 0 for an int"),
    (lambda pk, sk: Ciphertext(pk, 5, 1.5, True), ValueError, "exponent must be a whole number"),
    (lambda pk, sk: Ciphertext(pk, 5, 0, 1), TypeError, "is_float must be True or False"),
    (lambda pk, sk: Ciphertext(pk, 5, bound=pk.max_int + 1), ValueError, "bound must be a whole number"),
    (lambda pk, sk: Ciphertext(pk.n, 5), TypeError, "public_key must be a PublicKey, got int"),
])
def test_bad_input_gets_a_clear_error(keys, call, error, words):
    with pytest.raises(error, match=words):
        call(*keys)


def test_the_private_primes_are_not_printed(keys):
    public_key, private_key = keys
    assert str(private_key.p) not in repr(private_key)
    assert "256-bit key" in repr(public_key.encrypt(1))
