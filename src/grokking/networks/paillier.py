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
negative, so every number goes through an **encoding**: a whole number ``m``
and an ``exponent``, standing for ``m * 2**exponent`` (``phe`` does the same
with powers of 16). The exponent is fitted to each number:

- an int ``k`` is ``m = k`` with exponent 0, exactly;
- a float is stored to the nearest multiple of ``2**-40`` (fixed point, with
  ``FRACTION_BITS = 40``): ``m = round(x * 2**40)`` with exponent -40, off by at
  most ``2**-41`` (about 4.5e-13). From ``2**13`` up, that ``m`` would need more
  than the 53 bits a float has, so a float keeps its own 53-bit mantissa
  instead, exactly: ``x = m * 2**exponent`` with ``2**52 <= |m| < 2**53``;
- a plain float (not encrypted: its size tells nothing) is stored with as
  few bits as it needs: its odd mantissa times a power of 2. A multiplier is
  stored so, exactly, always (a float is at most 53 bits times a power of 2);
  a float *added* to a ciphertext only down to ``2**-40``, finer ones are
  rounded to the fixed point like an encrypted float;
- a negative ``-m`` is stored as ``n - m``, the way a clock shows -1 hour as 11.

For example (``fixed_point(x)``; exponent in brackets):

    0.1          ->  109951162778      [-40]  stands for 0.1000000000003638, off by 3.6e-13
    -0.75        ->  n - 824633720832  [-40]  exactly
    123456789.0  ->  8285044862877696  [-26]  exactly (123456789 * 2**26)
    1e20         ->  6103515625000000  [14]   exactly
    as a plain number, 987654321.0 -> 987654321 [0], and 0.75 -> 3 [-2]

Adding lines the exponents up first, to the smaller one, by doubling the
bigger one's ``m`` (``encrypt(123456789.0) + encrypt(0.1)`` holds
``123456789 * 2**40 + 109951162778`` with exponent -40); multiplying adds the
exponents (``encrypt(0.1) * 987654321.0`` holds ``109951162778 * 987654321``
with exponent -40). So a decrypted result is the exact result of the
arithmetic on the stored numbers, rounded once to the nearest float (an int if
only ints went in): the only other error is each added float's ``2**-41``.

**Overflow.** Decryption reads ``m`` modulo ``n``: numbers near 0 or near ``n``
are small positive or negative ones, the middle third of ``0..n`` is
"overflow", so every stored ``|m|`` must stay at most ``max_int = n // 3``. A
number that grows past ``n`` would wrap around and decrypt as a wrong number
without a word, and nobody can see ``m`` without the private key. So every
ciphertext carries, in the clear, a ``bound`` with ``|m| <= bound``:

- an encrypted number: ``2**53 - 1`` (an int of more than 53 bits: ``2**bits - 1``
  for its number of bits), never more than ``max_int``; a ciphertext made
  elsewhere: ``max_int``;
- ``a + b``: ``a.bound + b.bound``, after each is doubled once per step of
  lining up the exponents; ``a + k``: ``a.bound + |k's m|``;
- ``a * k``: ``a.bound * |k's m|``.

An operation whose bound would pass ``max_int`` raises ``OverflowError`` (naming
itself and the limit) before it computes anything, even when the hidden number
might fit: the ciphertext cannot tell. On the 128-bit key of chapter 17
(``max_int`` about ``2**125.8``) that allows: ints up to ``n // 3``; sums of
floats at the fixed point up to about ``2**85``; a float times a float, always
(53 + 53 bits), but not a product times another 53-bit float. A decrypted float
too big for Python's floats (about ``1.8e308``) raises ``OverflowError`` too.
The bound and the exponent are public: they tell anyone how many bits an int
of more than 53 bits has, and how big a float of ``2**13`` or more is, to a
power of 2 (``phe``'s exponent tells the size of every float, to a power of 16).

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

FRACTION_BITS = 40          # a float is stored to the nearest multiple of 2**-40 (exactly if it is one)
FLOAT_BITS = 53             # a float is a whole number of at most 53 bits times a power of 2
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


# %% The encoding: a number as a whole number times a power of 2 ------------------------

@dataclass(frozen=True)
class Encoded:
    """The number ``mantissa * 2**exponent``, given back as a float if ``is_float`` (else an int)."""
    mantissa: int
    exponent: int
    is_float: bool


def _plain_number(x, operation):
    """``x`` as an int or a float, or a clear error naming ``operation``."""
    if isinstance(x, bool) or not isinstance(x, Real):
        raise TypeError(f"{operation}: the number must be an int or a float, got {type(x).__name__} {x!r}")
    if isinstance(x, Integral):
        return int(x)
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"{operation}: the number must be finite, got {x}")
    return x


def exactly(x, operation="encode"):
    """``x`` exactly: an int as itself (exponent 0); a float as its odd mantissa times a power of 2
    (``0.75 -> 3 * 2**-2``, ``1e20 -> 95367431640625 * 2**20``). How a plain multiplier is stored."""
    x = _plain_number(x, operation)
    if isinstance(x, int):
        return Encoded(x, 0, False)
    numerator, denominator = x.as_integer_ratio()      # denominator: a power of 2
    mantissa, exponent = numerator, 1 - denominator.bit_length()
    while mantissa and mantissa % 2 == 0:              # 1e20's numerator ends in 20 zero bits
        mantissa, exponent = mantissa // 2, exponent + 1
    return Encoded(mantissa, exponent, True)


def fixed_point(x, operation="encode"):
    """How a number is encrypted, or added to a ciphertext: an int exactly (exponent 0); a float as
    ``round(x * 2**40)`` (exponent -40: ``0.1 -> 109951162778``), or, from ``2**13`` up, where that
    would need more than 53 bits, as its own 53-bit mantissa, exactly
    (``1e20 -> 6103515625000000 * 2**14``)."""
    x = _plain_number(x, operation)
    if isinstance(x, int):
        return Encoded(x, 0, False)
    exponent = max(-FRACTION_BITS, math.frexp(x)[1] - FLOAT_BITS)   # frexp: x = f * 2**e, 1/2 <= |f| < 1
    return Encoded(round(math.ldexp(x, -exponent)), exponent, True)  # x * 2**-exponent, rounded if -40


def decode(mantissa, exponent, is_float):
    """``mantissa * 2**exponent``: an int exactly, or the nearest float (rounded once)."""
    if not is_float:
        return mantissa * 2 ** exponent
    try:
        if exponent >= 0:
            return float(mantissa * 2 ** exponent)
        return mantissa / 2 ** -exponent                # int / int: Python rounds it once, correctly
    except OverflowError:
        raise OverflowError(f"decrypt: the result, about 2**{_log2(abs(mantissa)) + exponent:.1f}, is too "
                            "big for a float (they end at about 2**1024 = 1.8e308)") from None


def _log2(k):
    return math.log2(k) if k else float("-inf")


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

    def check(self, bound, operation, how):
        """``bound`` if it is at most ``max_int``, else an ``OverflowError`` naming ``operation``."""
        if bound > self.max_int:
            raise OverflowError(f"{operation}: {how}, the stored whole number could reach "
                                f"2**{_log2(bound):.1f}, past this {self.bits}-bit key's limit |m| <= n // 3 "
                                f"= 2**{_log2(self.max_int):.1f}; a key with more bits holds bigger numbers")
        return bound

    def raw_encrypt(self, m):
        """``c = (n + 1)^m * r^n mod n^2`` for a whole number ``0 <= m < n`` and a fresh random ``r``."""
        n, n_squared = self.n, self.n_squared
        while True:
            r = self.random_bits(self.bits) % n
            if r > 0 and math.gcd(r, n) == 1:            # (any other r would reveal p or q)
                break
        return (1 + m * n) * pow(r, n, n_squared) % n_squared   # (n+1)^m = 1 + m*n  (mod n^2)

    def encrypt(self, x):
        """A ``Ciphertext`` of ``x``: an int exactly, a float to ``2**-41`` (see ``fixed_point``)."""
        number = fixed_point(x, "encrypt")
        size = abs(number.mantissa)
        if size > self.max_int:
            raise OverflowError(f"encrypt: {x!r} ({size.bit_length()} bits) is outside the encodable range "
                                f"of this {self.bits}-bit key: a whole number must be at most n // 3 "
                                f"= 2**{_log2(self.max_int):.1f}")
        bound = min(2 ** max(FLOAT_BITS, size.bit_length()) - 1, self.max_int)   # says only the bit count
        return Ciphertext(self, self.raw_encrypt(number.mantissa % self.n), number.exponent,
                          number.is_float, bound)


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
        """The number inside ``ciphertext``: an int, or a float rounded once from the exact result."""
        if not isinstance(ciphertext, Ciphertext):
            raise TypeError(f"decrypt: expected a Ciphertext, got {type(ciphertext).__name__}")
        if ciphertext.public_key != self.public_key:
            raise ValueError("decrypt: this ciphertext was made with another public key "
                             f"(n of {ciphertext.public_key.bits} bits starting "
                             f"{str(ciphertext.public_key.n)[:8]}, not {str(self.public_key.n)[:8]})")
        n, max_int = self.public_key.n, self.public_key.max_int
        m = self.raw_decrypt(ciphertext.value)
        if m > max_int:
            if m < n - max_int:        # only a ciphertext made elsewhere can get here: ours check bounds
                raise OverflowError("decrypt: the number inside overflowed the encodable range "
                                    "(|m| <= n // 3) before it came here")
            m -= n                                       # the upper third stands for negatives
        if abs(m) > ciphertext.bound:
            raise ValueError(f"decrypt: the number inside is bigger than the ciphertext's bound "
                             f"(2**{_log2(ciphertext.bound):.1f}) says: it was made with a wrong bound")
        return decode(m, ciphertext.exponent, ciphertext.is_float)



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
    """An encrypted number ``m * 2**exponent``: ``value`` (mod ``n^2``), its key, its ``exponent``,
    ``is_float`` (given back as a float, else an int) and a public ``bound`` with ``|m| <= bound``
    (None: nothing known, so ``max_int``). See the module's docstring."""
    public_key: PublicKey
    value: int
    exponent: int = 0
    is_float: bool = False
    bound: int = None

    def __post_init__(self):
        if not isinstance(self.public_key, PublicKey):
            raise TypeError(f"Ciphertext: public_key must be a PublicKey, got {type(self.public_key).__name__}")
        if isinstance(self.value, bool) or not isinstance(self.value, Integral) \
                or not 0 < self.value < self.public_key.n_squared:
            raise ValueError("Ciphertext: value must be a whole number between 1 and n^2 - 1")
        if not isinstance(self.is_float, bool):
            raise TypeError(f"Ciphertext: is_float must be True or False, got {self.is_float!r}")
        if isinstance(self.exponent, bool) or not isinstance(self.exponent, Integral) \
                or (self.exponent < 0 and not self.is_float):
            raise ValueError("Ciphertext: exponent must be a whole number (>= 0 for an int), "
                             f"got {self.exponent!r}")
        max_int = self.public_key.max_int
        if self.bound is None:
            object.__setattr__(self, "bound", max_int)   # (a frozen dataclass sets its own default so)
        if isinstance(self.bound, bool) or not isinstance(self.bound, Integral) \
                or not 0 <= self.bound <= max_int:
            raise ValueError("Ciphertext: bound must be a whole number from 0 to n // 3, "
                             f"got {self.bound!r}")

    def __repr__(self):
        digits = str(self.value)
        return (f"Ciphertext({digits[:10]}...{digits[-4:]} ({len(digits)} digits), "
                f"{self.public_key.bits}-bit key, {'float' if self.is_float else 'int'} "
                f"m * 2**{self.exponent} with |m| < 2**{self.bound.bit_length()})")

    def with_exponent(self, exponent, operation="with_exponent"):
        """The same number with a smaller ``exponent``: ``m`` doubled once per step, ``c^2`` each time
        (an int given a negative exponent becomes a float: it is about to meet one)."""
        shift = self.exponent - exponent
        if shift < 0:
            raise ValueError(f"{operation}: the exponent can only go down (from {self.exponent}), "
                             f"not up to {exponent}: that would divide m")
        if shift == 0:
            return self
        bound = self.public_key.check(self.bound << shift, operation,
                                      f"lining up the exponents doubles m {shift} times")
        return Ciphertext(self.public_key, pow(self.value, 2 ** shift, self.public_key.n_squared),
                          exponent, self.is_float or exponent < 0, bound)

    def __add__(self, other):
        """``ciphertext + ciphertext`` (the product of the two values) or ``ciphertext + number``."""
        key = self.public_key
        if isinstance(other, Ciphertext):
            if other.public_key != key:
                raise ValueError("Ciphertext +: the two ciphertexts were made with different "
                                 "public keys; only ciphertexts of one key can be added")
            exponent = min(self.exponent, other.exponent)
            a = self.with_exponent(exponent, "Ciphertext +")
            b = other.with_exponent(exponent, "Ciphertext +")
            bound = key.check(a.bound + b.bound, "Ciphertext +", "adding the two")
            return Ciphertext(key, a.value * b.value % key.n_squared, exponent,
                              a.is_float or b.is_float, bound)
        if isinstance(other, bool) or not isinstance(other, Real):
            return NotImplemented
        number = exactly(other, "Ciphertext +")        # a plain number is public: as few bits as it needs,
        if number.exponent < -FRACTION_BITS:            # but no finer than the fixed point
            number = fixed_point(other, "Ciphertext +")
        if number.mantissa == 0:                        # 0 fits any exponent: take the ciphertext's
            number = Encoded(0, self.exponent, number.is_float)
        exponent = min(self.exponent, number.exponent)
        a = self.with_exponent(exponent, "Ciphertext +")
        m = number.mantissa * 2 ** (number.exponent - exponent)
        bound = key.check(a.bound + abs(m), "Ciphertext +", f"adding {other!r}")
        # a plain number needs no r: its "ciphertext" is (n+1)^m = 1 + m*n
        return Ciphertext(key, a.value * (1 + m % key.n * key.n) % key.n_squared, exponent,
                          a.is_float or number.is_float, bound)

    __radd__ = __add__

    def __mul__(self, other):
        """``ciphertext * number``: the value raised to the number's (exact) mantissa."""
        if isinstance(other, Ciphertext):
            raise TypeError("Ciphertext *: Paillier cannot multiply two ciphertexts, "
                            "only a ciphertext by a plain number")
        if isinstance(other, bool) or not isinstance(other, Real):
            return NotImplemented
        key = self.public_key
        number = exactly(other, "Ciphertext *")
        bound = key.check(self.bound * abs(number.mantissa), "Ciphertext *",
                          f"multiplying by {other!r} ({abs(number.mantissa).bit_length()} bits)")
        # a negative k is n - |k|: c^(n-|k|) = c^-|k|, since c^n holds n*m = 0 (mod n)
        return Ciphertext(key, pow(self.value, number.mantissa % key.n, key.n_squared),
                          self.exponent + number.exponent, self.is_float or number.is_float, bound)

    __rmul__ = __mul__

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return (-self) + other
