"""grokking.networks.paillier against the ``phe`` package (the book's chapter 15 library): the same
key pair decrypts each other's ciphertexts; hypothesis checks the homomorphic properties;
bad input gets a clear error. Keys are 128 to 512 bits here, so the file takes seconds."""
import math
import random

import phe
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grokking.networks import paillier
from grokking.networks.paillier import (FRACTION_BITS, Ciphertext, generate_keypair, is_probable_prime,
                               keypair_from_primes)

PHE_EXPONENT = -FRACTION_BITS // 4     # phe counts the exponent in powers of 16: 2**-40 = 16**-10
STEP = 2.0 ** -FRACTION_BITS


@pytest.fixture(scope="module")
def keys():
    return generate_keypair(256, rng=7)


@pytest.fixture(scope="module")
def phe_keys(keys):
    """``phe``'s key pair made of our p and q."""
    public_key, private_key = keys
    phe_public = phe.PaillierPublicKey(public_key.n)
    return phe_public, phe.PaillierPrivateKey(phe_public, private_key.p, private_key.q)


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


# -- against phe -----------------------------------------------------------------------

@pytest.mark.parametrize("x", [0, 5, -5, 2 ** 100, -(2 ** 100), 0.0, 0.1, -0.1, 3.75, -1234.5678, 1e-13])
def test_phe_decrypts_our_ciphertexts_and_we_decrypt_phes(keys, phe_keys, x):
    public_key, private_key = keys
    phe_public, phe_private = phe_keys
    ours = public_key.encrypt(x)
    exponent = 0 if isinstance(x, int) else PHE_EXPONENT
    assert phe_private.decrypt(phe.EncryptedNumber(phe_public, ours.value, exponent)) == \
        private_key.decrypt(ours)
    theirs = phe_public.encrypt(x) if isinstance(x, int) else phe_public.encrypt(x, precision=STEP)
    assert theirs.exponent == exponent
    back = private_key.decrypt(Ciphertext(public_key, theirs.ciphertext(be_secure=False),
                                          0 if isinstance(x, int) else 1))
    assert back == phe_private.decrypt(theirs)
    assert back == x if isinstance(x, int) else abs(back - x) <= STEP / 2


def test_a_phe_key_pair_works_here_and_sums_agree():
    phe_public, phe_private = phe.generate_paillier_keypair(n_length=256)
    public_key, private_key = keypair_from_primes(phe_private.p, phe_private.q)
    assert public_key.n == phe_public.n
    total = phe_public.encrypt(7) + phe_public.encrypt(-12)
    assert private_key.decrypt(Ciphertext(public_key, total.ciphertext(be_secure=False), 0)) == -5
    ours = public_key.encrypt(0.75) + public_key.encrypt(-2.5) + 1
    assert phe_private.decrypt(phe.EncryptedNumber(phe_public, ours.value, PHE_EXPONENT)) == -0.75
    assert phe_private.raw_decrypt(public_key.raw_encrypt(12345)) == 12345
    assert private_key.raw_decrypt(phe_public.raw_encrypt(12345)) == 12345


# -- the homomorphic properties ---------------------------------------------------------

whole = st.integers(-(2 ** 60), 2 ** 60)
real = st.floats(-1e6, 1e6, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(a=whole, b=whole)
def test_adding_ciphertexts_adds_whole_numbers_exactly(keys, a, b):
    public_key, private_key = keys
    assert private_key.decrypt(public_key.encrypt(a) + public_key.encrypt(b)) == a + b
    assert private_key.decrypt(public_key.encrypt(a) - public_key.encrypt(b)) == a - b
    assert private_key.decrypt(public_key.encrypt(a) + b) == a + b
    assert private_key.decrypt(b + public_key.encrypt(a)) == a + b


@settings(max_examples=60, deadline=None)
@given(a=real, b=real)
def test_adding_floats_is_right_to_the_fixed_point_step(keys, a, b):
    public_key, private_key = keys
    for got, want in ((public_key.encrypt(a) + public_key.encrypt(b), a + b),
                      (public_key.encrypt(a) + b, a + b),
                      (public_key.encrypt(a) - b, a - b),
                      (-public_key.encrypt(a), -a)):
        assert math.isclose(private_key.decrypt(got), want, rel_tol=1e-15, abs_tol=STEP)


@settings(max_examples=60, deadline=None)
@given(a=real, k=st.integers(-1000, 1000), f=st.floats(-1000, 1000, allow_nan=False))
def test_multiplying_by_a_plain_number(keys, a, k, f):
    public_key, private_key = keys
    encrypted = public_key.encrypt(a)
    assert math.isclose(private_key.decrypt(encrypted * k), round(a * 2 ** 40) * k / 2 ** 40,
                        rel_tol=1e-15, abs_tol=1e-300)
    assert private_key.decrypt(k * public_key.encrypt(12)) == 12 * k
    product = encrypted * f
    assert product.exponent == 2
    assert math.isclose(private_key.decrypt(product), a * f, rel_tol=1e-9, abs_tol=1e6 * STEP)


def test_every_encryption_looks_different_but_decrypts_the_same(keys):
    public_key, private_key = keys
    a, b = public_key.encrypt(5), public_key.encrypt(5)
    assert a.value != b.value and private_key.decrypt(a) == private_key.decrypt(b) == 5
    assert 0 < a.value < public_key.n_squared


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


@pytest.mark.parametrize("x", [2 ** 300, -(2 ** 300), 1e80, -1e80, 1e308])
def test_a_number_outside_the_encodable_range_is_refused(keys, x):
    public_key, _ = keys
    with pytest.raises(OverflowError, match=r"outside the encodable range of this 256-bit key"):
        public_key.encrypt(x)


def test_the_edge_of_the_range_and_an_overflowing_sum(keys):
    public_key, private_key = keys
    biggest = public_key.max_int
    assert private_key.decrypt(public_key.encrypt(biggest)) == biggest
    assert private_key.decrypt(public_key.encrypt(-biggest)) == -biggest
    with pytest.raises(OverflowError):
        public_key.encrypt(biggest + 1)
    with pytest.raises(OverflowError, match="overflowed the encodable range"):
        private_key.decrypt(public_key.encrypt(biggest) + public_key.encrypt(biggest))


@pytest.mark.parametrize("bits", [0, 16, 64, 127])
def test_a_key_too_small_is_refused(bits):
    with pytest.raises(ValueError, match=f"a key of {bits} bits is too small: bits must be at least 128"):
        generate_keypair(bits)


@pytest.mark.parametrize("call, error, words", [
    (lambda pk, sk: pk.encrypt("1"), TypeError, "x must be an int or a float, got str"),
    (lambda pk, sk: pk.encrypt(True), TypeError, "x must be an int or a float, got bool"),
    (lambda pk, sk: pk.encrypt(math.nan), ValueError, "finite"),
    (lambda pk, sk: pk.encrypt(math.inf), ValueError, "finite"),
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
    (lambda pk, sk: Ciphertext(pk, 5, -1), ValueError, "exponent must be a whole number >= 0"),
    (lambda pk, sk: Ciphertext(pk.n, 5), TypeError, "public_key must be a PublicKey, got int"),
])
def test_bad_input_gets_a_clear_error(keys, call, error, words):
    with pytest.raises(error, match=words):
        call(*keys)


def test_the_private_primes_are_not_printed(keys):
    public_key, private_key = keys
    assert str(private_key.p) not in repr(private_key)
    assert "256-bit key" in repr(public_key.encrypt(1))
