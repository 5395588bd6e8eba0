"""Paillier encryption in plain Python: add numbers you cannot read.

The book's chapter 15 lets Bob, Alice and Sue each encrypt their model, adds
the encrypted models together, and decrypts only the sum. It uses the ``phe``
package for that. This module writes the same scheme out, small enough to read
in one sitting (``phe`` is only used by the tests, to check this one):

    >>> from grokking.networks.paillier import generate_keypair
    >>> public_key, private_key = generate_keypair(bits=128, rng=1)
    >>> x = public_key.encrypt(5)
    >>> y = public_key.encrypt(3)
    >>> private_key.decrypt(x + y)
    8
    >>> private_key.decrypt(public_key.encrypt(-0.25) * 3 + 1)
    0.25

How it works (Paillier, 1999), with the usual simple choice ``g = n + 1``:

- **Keys.** Pick two large primes ``p`` and ``q``; ``n = p * q`` is the public
  key. The private key is ``p`` and ``q`` (from them, ``lam = lcm(p-1, q-1)``
  and ``mu = lam^-1 mod n``). Anyone can encrypt with ``n``; only who knows
  ``p`` and ``q`` can decrypt. Breaking it means splitting ``n`` into ``p * q``.
- **Encryption** of a whole number ``0 <= m < n``: pick a random ``r``, then
  ``c = (n + 1)^m * r^n  mod n^2``. The random ``r`` makes every encryption of
  the same ``m`` look different. ``(n + 1)^m mod n^2`` is simply ``1 + m*n``.
- **Decryption**: ``m = L(c^lam mod n^2) * mu  mod n``, where ``L(u) = (u - 1) // n``.
  Raising to ``lam`` wipes out ``r`` (``r^(n*lam) = 1 mod n^2``) and leaves ``1 + m*lam*n``.
- **Adding without reading.** Multiply two ciphertexts and the messages add up:
  ``(n+1)^a r^n * (n+1)^b s^n = (n+1)^(a+b) (r s)^n``. Raise a ciphertext to the
  power ``k`` and its message is multiplied by ``k``. Two ciphertexts cannot be
  multiplied into the product of their messages (Paillier is "additively
  homomorphic" only), and nobody learns anything from the sum but the sum.

Messages are whole numbers modulo ``n``. Model weights are floats, some
negative, so they go through a **fixed-point encoding**: a float ``x`` becomes
the whole number ``round(x * 2**40)`` (its error is at most ``2**-41``, about
4.5e-13), and a negative number ``-m`` is stored as ``n - m``, the way a clock
shows -1 hour as 11. Numbers near 0 or near ``n`` are read back as small
positive or negative ones; the middle third of ``0..n`` is "overflow". A
ciphertext remembers its ``exponent``: how many factors of ``2**40`` its message
carries (0 for a whole number, 1 for a float, 2 after a float times a float).

Random numbers: ``rng=None`` takes them from ``secrets`` (the operating system's
cryptographic source), for real use. ``rng=`` a whole number (a seed) or a
``random.Random`` makes the primes *and* every encryption's ``r`` reproducible,
so a chapter prints the same transcript every run; never protect data that way.

This is a teaching implementation and must not protect real data: Python's
``pow`` takes more or less time depending on the secret numbers (a timing
side channel), the chapter's key sizes are small enough to be broken, the
randomness of a seeded run is predictable, and no one has audited this code.
"""
import math
import random
import secrets
from dataclasses import dataclass, field
from numbers import Integral, Real

FRACTION_BITS = 40          # a float x is stored as the whole number round(x * 2**40)
SCALE = 2 ** FRACTION_BITS
MIN_BITS = 128              # the book's demo key; smaller keys cannot hold the encoding's products
DEFAULT_BITS = 2048         # what real use needs today (1024 is no longer considered safe)
_SMALL_PRIMES = [p for p in range(3, 2000) if all(p % d for d in range(2, int(p ** 0.5) + 1))]


# %% Prime numbers --------------------------------------------------------------------

def is_probable_prime(candidate, random_bits, rounds=40):
    """Miller-Rabin: False if ``candidate`` is surely composite, True if it is prime
    with probability at least ``1 - 4**-rounds``.

    Write ``candidate - 1 = d * 2**s`` with ``d`` odd. For a prime, every base ``a``
    gives ``a**d = 1`` or ``a**(d * 2**i) = -1`` for some ``i < s`` (mod candidate);
    a composite fails that for at least 3 of 4 bases.
    """
    if candidate < 2:
        return False
    for small in [2] + _SMALL_PRIMES:           # cheap first: most candidates stop here
        if candidate % small == 0:
            return candidate == small
    d, s = candidate - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for _ in range(rounds):
        a = 2 + random_bits(candidate.bit_length()) % (candidate - 3)   # a base in 2 .. candidate-2
        x = pow(a, d, candidate)
        if x in (1, candidate - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, candidate)
            if x == candidate - 1:
                break
        else:
            return False
    return True


def random_prime(bits, random_bits):
    """A random prime of exactly ``bits`` bits whose two top bits are 1 (so that the
    product of two such primes has exactly the sum of their bits)."""
    while True:
        candidate = random_bits(bits) | (3 << (bits - 2)) | 1    # top two bits and the last one set
        if is_probable_prime(candidate, random_bits):
            return candidate


def _random_source(rng):
    """The function ``random_bits(k)`` that gives ``k`` random bits: from ``secrets``,
    a seed, or a ``random.Random``."""
    if rng is None:
        return secrets.randbits
    if isinstance(rng, Integral) and not isinstance(rng, bool):
        return random.Random(int(rng)).getrandbits
    if isinstance(rng, random.Random):
        return rng.getrandbits
    raise TypeError("generate_keypair: rng must be None (secrets, for real use), a whole number "
                    f"(a seed) or a random.Random, got {type(rng).__name__} {rng!r}")


# %% The keys -------------------------------------------------------------------------

@dataclass(frozen=True)
class PublicKey:
    """``n = p * q``: enough to encrypt, and to add and scale ciphertexts.

    random_bits: where the ``r`` of each encryption comes from (``secrets.randbits``
    unless the key pair was made from a seed); it is not part of the key.
    """
    n: int
    random_bits: object = field(default=secrets.randbits, repr=False, compare=False)

    def __post_init__(self):
        if isinstance(self.n, bool) or not isinstance(self.n, Integral):
            raise TypeError(f"PublicKey: n must be a whole number, got {type(self.n).__name__}")
        if self.n.bit_length() < MIN_BITS:
            raise ValueError(f"PublicKey: n has {self.n.bit_length()} bits, too small; "
                             f"it needs at least {MIN_BITS}")

    @property
    def n_squared(self):
        return self.n * self.n

    @property
    def bits(self):
        return self.n.bit_length()

    @property
    def max_int(self):
        """The largest whole number (of either sign) the encoding stores: a third of ``n``.
        Between ``max_int`` and ``n - max_int`` lies "overflow"."""
        return self.n // 3

    def largest(self, exponent=1):
        """About how big (as a power of 2) a number with this ``exponent`` may be:
        ``|x| < 2**largest(exponent)`` (floats have exponent 1)."""
        return (self.max_int >> (FRACTION_BITS * exponent)).bit_length()

    def encode(self, x, exponent):
        """The whole number ``0 <= m < n`` that stands for ``x`` with ``exponent`` factors of ``2**40``."""
        if isinstance(x, bool) or not isinstance(x, Real):
            raise TypeError(f"encrypt: x must be an int or a float, got {type(x).__name__} {x!r}")
        if isinstance(x, Integral):
            scaled = int(x) * SCALE ** exponent
        else:
            x = float(x)
            if not math.isfinite(x):
                raise ValueError(f"encrypt: x must be a finite number, got {x}")
            try:
                scaled = round(math.ldexp(x, FRACTION_BITS * exponent))   # x * 2**40, exact; then rounded
            except OverflowError:                        # beyond any float: beyond every key too
                scaled = self.max_int + 1
        if abs(scaled) > self.max_int:
            raise OverflowError(f"encrypt: {x!r} is outside the encodable range of this "
                                f"{self.bits}-bit key: |x| * 2**{FRACTION_BITS * exponent} must be at "
                                f"most n // 3, so |x| < about 2**{self.largest(exponent)}")
        return scaled % self.n                           # a negative -m is stored as n - m

    def raw_encrypt(self, m):
        """``c = (n + 1)^m * r^n mod n^2`` for a whole number ``0 <= m < n`` and a fresh random ``r``."""
        n, n_squared = self.n, self.n_squared
        while True:
            r = self.random_bits(self.bits) % n
            if r > 0 and math.gcd(r, n) == 1:            # (any other r would reveal p or q)
                break
        return (1 + m * n) * pow(r, n, n_squared) % n_squared   # (n+1)^m = 1 + m*n  (mod n^2)

    def encrypt(self, x):
        """A ``Ciphertext`` of ``x``: an int exactly (exponent 0), a float to ``2**-41`` (exponent 1)."""
        exponent = 0 if isinstance(x, Integral) else 1
        return Ciphertext(self, self.raw_encrypt(self.encode(x, exponent)), exponent)


@dataclass(frozen=True)
class PrivateKey:
    """The primes ``p`` and ``q`` (not shown in ``repr``), and what decryption needs from them."""
    public_key: PublicKey
    p: int = field(repr=False)
    q: int = field(repr=False)

    def __post_init__(self):
        if self.p * self.q != self.public_key.n:
            raise ValueError("PrivateKey: p * q must be the public key's n")

    @property
    def lam(self):
        """``lam = lcm(p - 1, q - 1)``: ``r^(n * lam) = 1 mod n^2`` for every ``r``."""
        return math.lcm(self.p - 1, self.q - 1)

    @property
    def mu(self):
        """``mu = lam^-1 mod n`` (this simple form holds for ``g = n + 1``)."""
        return pow(self.lam, -1, self.public_key.n)

    def raw_decrypt(self, c):
        """``m = L(c^lam mod n^2) * mu mod n`` with ``L(u) = (u - 1) // n``."""
        n = self.public_key.n
        return (pow(c, self.lam, self.public_key.n_squared) - 1) // n * self.mu % n

    def decrypt(self, ciphertext):
        """The number inside ``ciphertext``: an int (exponent 0) or a float."""
        if not isinstance(ciphertext, Ciphertext):
            raise TypeError(f"decrypt: expected a Ciphertext, got {type(ciphertext).__name__}")
        if ciphertext.public_key != self.public_key:
            raise ValueError("decrypt: this ciphertext was made with another public key "
                             f"(n of {ciphertext.public_key.bits} bits starting "
                             f"{str(ciphertext.public_key.n)[:8]}, not {str(self.public_key.n)[:8]})")
        n, max_int = self.public_key.n, self.public_key.max_int
        m = self.raw_decrypt(ciphertext.value)
        if m > max_int:
            if m < n - max_int:
                raise OverflowError("decrypt: the result overflowed the encodable range "
                                    f"(|m| <= n // 3); a key with more bits holds bigger numbers")
            m -= n                                       # the upper third stands for negatives
        if ciphertext.exponent == 0:
            return m
        return m / SCALE ** ciphertext.exponent          # exact division, rounded once


def keypair_from_primes(p, q, rng=None):
    """``(public_key, private_key)`` of two given primes (for a key made elsewhere, e.g. by ``phe``).

    rng: where each encryption's ``r`` comes from, as for ``generate_keypair``.
    """
    for name, prime in (("p", p), ("q", q)):
        if isinstance(prime, bool) or not isinstance(prime, Integral):
            raise TypeError(f"keypair_from_primes: {name} must be a whole number, got {prime!r}")
    p, q = int(p), int(q)
    random_bits = _random_source(rng)
    if p == q:
        raise ValueError("keypair_from_primes: p and q must be two different primes")
    for name, prime in (("p", p), ("q", q)):
        if not is_probable_prime(prime, random_bits):
            raise ValueError(f"keypair_from_primes: {name} = {prime} is not a prime")
    if (p * q).bit_length() < MIN_BITS:
        raise ValueError(f"keypair_from_primes: n = p * q has {(p * q).bit_length()} bits, "
                         f"too small; it needs at least {MIN_BITS}")
    public_key = PublicKey(p * q, random_bits)
    return public_key, PrivateKey(public_key, p, q)


def generate_keypair(bits=DEFAULT_BITS, rng=None):
    """``(public_key, private_key)`` with ``n = p * q`` of exactly ``bits`` bits.

    bits: the size of ``n``, at least 128 (the book's demo); 2048 for real use.
    rng: None takes every random number from ``secrets`` (for real use); a whole
         number (a seed) or a ``random.Random`` makes the primes and every
         encryption's ``r`` the same on every run (for lessons and tests only).
    """
    if isinstance(bits, bool) or not isinstance(bits, Integral):
        raise TypeError(f"generate_keypair: bits must be a whole number, got {bits!r}")
    if bits < MIN_BITS:
        raise ValueError(f"generate_keypair: a key of {bits} bits is too small: bits must be at least "
                         f"{MIN_BITS} to hold the fixed-point encoding (and {DEFAULT_BITS} to be safe)")
    random_bits = _random_source(rng)
    while True:
        p = random_prime(bits // 2, random_bits)
        q = random_prime(bits - bits // 2, random_bits)
        if p != q:
            break
    public_key = PublicKey(p * q, random_bits)
    return public_key, PrivateKey(public_key, p, q)


# %% Ciphertexts ----------------------------------------------------------------------

@dataclass(frozen=True)
class Ciphertext:
    """An encrypted number: ``value`` (mod ``n^2``), its key, and its ``exponent`` (how
    many factors of ``2**40`` the message carries: 0 int, 1 float, 2 float times float)."""
    public_key: PublicKey
    value: int
    exponent: int = 0

    def __post_init__(self):
        if not isinstance(self.public_key, PublicKey):
            raise TypeError(f"Ciphertext: public_key must be a PublicKey, got {type(self.public_key).__name__}")
        if isinstance(self.value, bool) or not isinstance(self.value, Integral) \
                or not 0 < self.value < self.public_key.n_squared:
            raise ValueError("Ciphertext: value must be a whole number between 1 and n^2 - 1")
        if isinstance(self.exponent, bool) or not isinstance(self.exponent, Integral) or self.exponent < 0:
            raise ValueError(f"Ciphertext: exponent must be a whole number >= 0, got {self.exponent!r}")

    def __repr__(self):
        digits = str(self.value)
        return (f"Ciphertext({digits[:10]}...{digits[-4:]} ({len(digits)} digits), "
                f"{self.public_key.bits}-bit key, exponent {self.exponent})")

    def _rescaled(self, exponent):
        """The same number with a bigger ``exponent``: its message times ``2**40`` per step."""
        if exponent == self.exponent:
            return self
        factor = SCALE ** (exponent - self.exponent)
        return Ciphertext(self.public_key, pow(self.value, factor, self.public_key.n_squared), exponent)

    def __add__(self, other):
        """``ciphertext + ciphertext`` (the product of the two values) or ``ciphertext + number``."""
        key = self.public_key
        if isinstance(other, Ciphertext):
            if other.public_key != key:
                raise ValueError("Ciphertext +: the two ciphertexts were made with different "
                                 "public keys; only ciphertexts of one key can be added")
            exponent = max(self.exponent, other.exponent)
            a, b = self._rescaled(exponent), other._rescaled(exponent)
            return Ciphertext(key, a.value * b.value % key.n_squared, exponent)
        if isinstance(other, bool) or not isinstance(other, Real):
            return NotImplemented
        exponent = max(self.exponent, 0 if isinstance(other, Integral) else 1)
        a = self._rescaled(exponent)
        m = key.encode(other, exponent)                  # a plain number needs no r: (n+1)^m
        return Ciphertext(key, a.value * (1 + m * key.n) % key.n_squared, exponent)

    __radd__ = __add__

    def __mul__(self, other):
        """``ciphertext * number``: the value raised to the (encoded) number."""
        if isinstance(other, Ciphertext):
            raise TypeError("Ciphertext *: Paillier cannot multiply two ciphertexts, "
                            "only a ciphertext by a plain number")
        if isinstance(other, bool) or not isinstance(other, Real):
            return NotImplemented
        exponent = 0 if isinstance(other, Integral) else 1
        m = self.public_key.encode(other, exponent)      # a negative k is n - |k|: c^(n-|k|) = c^-|k|
        return Ciphertext(self.public_key, pow(self.value, m, self.public_key.n_squared),
                          self.exponent + exponent)

    __rmul__ = __mul__

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return (-self) + other
