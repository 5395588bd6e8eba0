"""Federated learning with encryption: learning from digits you never see

After the book's chapter 15 ("deep learning on unseen data"), on the 8x8
handwritten digits instead of Enron e-mails, and with Paillier encryption
written out in plain Python (``grokking.networks.paillier``) instead of the ``phe``
package:

1. the owners: Bob, Alice and Sue each hold some training images, unevenly
   (each has mostly a few digits); the test images stay apart;
2. federated rounds: each owner trains a copy of the model on their own images,
   the copies are averaged; compared with one model on all the images, and with
   each owner's own model;
3. the leak: one image's update gives the image away (the pixels that moved);
4. Paillier encryption by hand: keys, encryption, adding ciphertexts,
   multiplying by a plain number, decryption, fixed point for float weights;
5. secure aggregation: the owners' models are encrypted and added, and only
   the sum is decrypted; it equals the plain average to the fixed-point precision.

    python chapters/ch17_federated_learning.py --backend pure|cython|numpy --plot DIR [--epochs N] [--examples N]

Here ``--epochs N`` is the number of rounds (each owner trains one epoch a
round). The whole chapter took 9 s on cython, 26 s on numpy and 7.6 minutes on
pure (2026-11-27, a 2-core machine shared with other work, load average 7-10);
on cython most of it is Paillier (the 2048-bit key's timing, and 3 rounds of
encryption), which is plain Python on every backend. A short run
(``--epochs 2 --examples 200``) takes a few seconds on each.
"""
# %%
import importlib.util
import sys

if importlib.util.find_spec("grokking") is None:  # a checkout without `pip install .`
    print("grokking is not installed: run `python3 -m venv .venv && .venv/bin/pip install .`"
          " in the project folder, then run the chapter with .venv/bin/python", file=sys.stderr)
    raise SystemExit(2)

import time

from grokking.networks import paillier
from grokking.lessons.digits import digits_data, draw_curves, percent, run, start_digits
from grokking.networks.federated import (accuracy, federated_rounds, largest_difference, parameters_of,
                                pixels_moved, secure_average, split_among_owners)
from grokking.lessons.lesson import Options
from grokking.networks.digits import DigitNetwork, Recipe

# What --trace and --plot DIR do in this chapter (`python -m grokking chapters` lists it).
OPTIONS = Options(plot="the pixels that moved in one owner's update beside the image, "
                       "and test accuracy per round",
                  no_trace="section 3 already prints every pixel of one update")

ROUNDS = 10
SECURE_ROUNDS = 3         # the book shows three rounds of secure aggregation
KEY_BITS = 128            # the book's own demo key (see section 4 for why, and for real sizes)
KEY_SEED = 15             # seeded keys: the same transcript every run (never for real data)
TIMED_BITS = (128, 512, 1024, 2048)

# %% [markdown]
# ## 1. The owners
# The book gives Bob, Alice and Sue a third of the e-mails each. Here each
# digit has a main owner (Bob 0-3, Alice 4-6, Sue 7-9) who gets 8 of every 10
# of its training images; the two others get one each. So nobody's images look
# like the test set, which has every digit about equally often.

# %%
# The network of chapter 9: 64 pixels -> 32 relu -> 10, one image per update.
# In a round, each owner trains one epoch (the book's ``iterations=1``).
RECIPE = Recipe(hidden=32, alpha=0.01, epochs=1, batch_size=1)
WEIGHTS = 64 * 32 + 32 * 10    # weights_0_1 and weights_1_2: what each owner sends


def show_owners(owners, test):
    print(f"{'owner':6s}  images  per digit 0..9")
    for owner in owners:
        print(f"{owner.name:6s}  {len(owner.labels):6d}  {owner.digit_counts()}")
    print(f"{'test':6s}  {len(test[1]):6d}  {[test[1].count(d) for d in range(10)]}  (kept apart)")


# %% [markdown]
# ## 2. Rounds of federated averaging
# The book's loop: send the model to Bob, Alice and Sue in turn, each trains a
# copy on their own data, then average everyone's new models and test.

# %%
def show_rounds(run_, owners):
    names = [owner.name for owner in owners]
    print("round  " + "  ".join(f"{name:>6s}" for name in names) + "  averaged  (test accuracy)")
    for r in run_.rounds:
        print(f"{r.number:5d}  " + "  ".join(f"{percent(r.owner_test[name])}" for name in names)
              + f"    {percent(r.test)}")


def compare(lesson, owners, train, test, rounds, federated):
    """One model on all the images, and each owner alone, as many epochs as there were rounds."""
    recipe = RECIPE.but(epochs=rounds)
    everyone, _ = run(lesson, "all images", recipe, train, test)
    rows = [(f"federated, {rounds} rounds (3 owners, images never shared)", federated.tests[-1]),
            (f"one model on all {len(train[1])} images, {rounds} epochs", everyone.final_test)]
    for owner in owners:
        alone, _ = run(lesson, owner.name, recipe, (owner.images, owner.labels), test)
        rows.append((f"{owner.name} alone, {len(owner.labels)} images, {rounds} epochs", alone.final_test))
    width = max(len(name) for name, _ in rows)
    print(f"\n{'model':<{width}}  test accuracy")
    for name, value in rows:
        print(f"{name:<{width}}  {percent(value)}")
    federated_test, everyone_test, best_alone = rows[0][1], rows[1][1], max(v for _, v in rows[2:])
    print(f"The averaged model reads {percent(federated_test).strip()} of the test digits: "
          f"{'better than' if federated_test > best_alone else 'not better than'} every owner alone "
          f"(best {percent(best_alone).strip()}),")
    print(f"{'below' if everyone_test > federated_test else 'not below'} one model on all the images "
          f"({percent(everyone_test).strip()}), which nobody may collect.")
    return everyone


def draw_rounds(plain_run, owners):
    """Test accuracy per round: the averaged model, and each owner's copy before averaging."""
    curves = draw_curves([("averaged model", plain_run.tests, "b-")]
                         + [(f"{o.name}'s copy", [r.owner_test[o.name] for r in plain_run.rounds], style)
                            for o, style in zip(owners, ("g--", "r--", "m--"))],
                         "Federated averaging: test accuracy per round")

    def draw(plt):
        curves(plt)
        plt.xlabel("round (each owner trains one epoch on their own images)")
    return draw


# %% [markdown]
# ## 3. The leak
# The book trains Bob's model on one e-mail and prints the words whose weights
# moved: the e-mail itself. On digits, one image's update moves row ``i`` of
# ``weights_0_1`` by ``alpha * pixel_i * layer_1_delta``: not at all where the
# pixel is blank, and otherwise by the same vector scaled by the pixel's ink.

# %%
def side_by_side(left, right, titles):
    """Two 8x8 pictures as text, darker = denser characters (each scaled to its own maximum)."""
    shades = " .:-=+*#%@"

    def rows(image):
        top = max(image) or 1.0
        return ["".join(shades[min(9, int(p / top * 9.999))] * 2 for p in image[r * 8:r * 8 + 8])
                for r in range(8)]

    lines = [f"{titles[0]:<16s}    {titles[1]}"]
    lines += [f"{a}    {b}" for a, b in zip(rows(left), rows(right))]
    return "\n".join(lines)


def show_leak(lesson, owner, start):
    image, label = owner.images[0], owner.labels[0]
    moved = pixels_moved(lesson.k, RECIPE, start, image, label)
    inked = [i for i, p in enumerate(image) if p > 0]
    changed = [i for i, m in enumerate(moved) if m > 0]
    print(f"{owner.name} trains the model on one image (a {label}) and sends it back.")
    print(f"The image has {len(inked)} inked pixels of 64; the update moved the weights of "
          f"{len(changed)} pixels, {'the same ones' if changed == inked else 'not the same ones'}.")
    ratios = [moved[i] / image[i] for i in inked]
    spread = (max(ratios) - min(ratios)) / max(ratios)
    print(f"How far each pixel's weights moved, divided by its ink: {min(ratios):.10f} .. "
          f"{max(ratios):.10f}")
    print(f"(the same number to {spread:.0e}): the update is the image times one number,")
    print("so whoever sees it can draw the image:")
    print(side_by_side(image, moved, (f"{owner.name}'s image", "what moved")))
    return image, moved


def draw_leak(image, moved, name):
    def draw(plt):
        figure = plt.gcf()
        figure.set_size_inches(8.4, 3.2)
        for place, (picture, title) in enumerate(((image, f"{name}'s image (never sent)"),
                                                  (moved, "how far each pixel's weights moved"))):
            axes = figure.add_subplot(1, 2, place + 1)
            shown = axes.imshow([picture[r * 8:r * 8 + 8] for r in range(8)], cmap="gray_r")
            axes.set_title(title, fontsize=9)
            axes.set_xticks([])
            axes.set_yticks([])
            axes.set_xlabel("8 pixel columns")
            axes.set_ylabel("8 pixel rows")
            figure.colorbar(shown, ax=axes, fraction=0.046,
                            label="ink (0..1)" if place == 0 else "length of the change")
        figure.subplots_adjust(wspace=0.5)
        figure.suptitle("The leak: one image's update gives the image away")
    return draw


# %% [markdown]
# ## 4. Paillier encryption, by hand
# The book calls ``phe.generate_paillier_keypair(n_length=128)``. Here is what
# that does (``grokking.networks.paillier``; read its docstring for the arithmetic):
# two primes ``p`` and ``q``, the public key ``n = p * q``, and
# ``c = (n + 1)^m * r^n mod n^2`` to encrypt ``m`` with a random ``r``.
#
# Why 128 bits here? It is the book's own demo size, and all the key must hold
# is a sum of three weights times ``2**40``. It protects nothing: a 128-bit ``n``
# is split into ``p * q`` in seconds. Real use needs 2048 bits, and in plain
# Python each encryption then costs a hundred times more (measured below).

# %%
def show_paillier(public_key, private_key, short, encryptions_a_round):
    k = private_key
    print(f"p = {k.p}")
    print(f"q = {k.q}")
    print(f"n = p * q = {public_key.n}  ({public_key.bits} bits: the public key)")
    print(f"(The primes come from random.Random({KEY_SEED}) so that this transcript is the same every run;")
    print(" generate_keypair(bits) without rng takes them from the secrets module, as real use must.)")

    x, y = public_key.encrypt(5), public_key.encrypt(3)
    print("\nThe book's example: x = encrypt(5), y = encrypt(3), decrypt(x + y)")
    print(f"x = {x.value}")
    print(f"y = {y.value}")
    print(f"decrypt(x + y) = {private_key.decrypt(x + y)}   (x + y is x.value * y.value mod n^2)")
    print(f"encrypt(5) again: {public_key.encrypt(5).value}")
    print("  (another random r: nobody can tell that two ciphertexts hold the same number)")

    print(f"\nFixed point: a float x is stored as round(x * 2**{paillier.FRACTION_BITS}), "
          "a negative -m as n - m.")
    big = paillier.fixed_point(1e20)
    print(f"  (from 2**13 up, where that needs more than 53 bits, a float keeps its own 53 bits, exactly:"
          f" 1e20 as {big.mantissa} * 2**{big.exponent})")
    for value in (0.1, -0.1):
        stored = paillier.fixed_point(value).mantissa % public_key.n
        back = private_key.decrypt(public_key.encrypt(value))
        print(f"  {value:5}: stored as {stored}, decrypted {back!r} (off by {abs(back - value):.1e})")
    print(f"  at most 2**-{paillier.FRACTION_BITS + 1} = {2.0 ** -(paillier.FRACTION_BITS + 1):.1e} "
          "off, far below what training changes")
    print("Arithmetic on what nobody can read:")
    print(f"  decrypt(encrypt(-0.25) * 3 + 1) = {private_key.decrypt(public_key.encrypt(-0.25) * 3 + 1)}")
    print(f"  decrypt(encrypt(0.5) * -0.5)    = {private_key.decrypt(public_key.encrypt(0.5) * -0.5)}")
    print(f"  decrypt(encrypt(2) + encrypt(-7.75)) = "
          f"{private_key.decrypt(public_key.encrypt(2) + public_key.encrypt(-7.75))}")

    print("\nMistakes get a clear error:")
    other_public, _ = paillier.generate_keypair(KEY_BITS, rng=KEY_SEED + 1)
    attempts = [("a ciphertext of another key", lambda: private_key.decrypt(other_public.encrypt(1))),
                ("a number too big for the key", lambda: public_key.encrypt(10 ** 40)),
                ("a product too big for the key", lambda: public_key.encrypt(0.1) * 0.1 * 0.1),
                ("a key too small", lambda: paillier.generate_keypair(64)),
                ("two ciphertexts multiplied", lambda: x * y)]
    for what, attempt in attempts:
        try:
            attempt()
            print(f"  {what}: no error (this is a bug)")
        except (ValueError, OverflowError, TypeError) as error:
            print(f"  {what}: {type(error).__name__}: {error}")

    print("\nWhat bigger keys cost in plain Python (one encryption; decryption costs about the same):")
    for bits in TIMED_BITS[:-1] if short else TIMED_BITS:
        started = time.perf_counter()
        timed_public, _ = paillier.generate_keypair(bits, rng=KEY_SEED)
        made = time.perf_counter() - started
        count = 20 if bits <= 512 else 3
        started = time.perf_counter()
        for i in range(count):
            timed_public.encrypt(i / 7)
        each = (time.perf_counter() - started) / count
        print(f"Measured here: {bits:4d}-bit key: made in {made:5.2f} s, {1000 * each:7.2f} ms per "
              f"encryption, {encryptions_a_round * each:6.1f} s for a round's {encryptions_a_round}")
    if short:
        print("(A short run leaves out the 2048-bit key, and aggregates only one round below.)")

    print("\nThis is a teaching implementation: do not protect real data with it. Python's pow")
    print("takes longer or shorter depending on the secret numbers (a timing side channel); the")
    print("keys here are small enough to break; a seeded run's random numbers can be predicted;")
    print("and nobody has audited this code. Use a maintained library, with 2048-bit keys or more.")


# %% [markdown]
# ## 5. Secure aggregation
# The book's ``train_and_encrypt``: each owner trains, then encrypts every
# weight with the public key. The encrypted models are added together (nobody
# can read them, or their sum); only the sum goes to the holder of the private
# key, who decrypts it and divides by 3. Here the owners' copies from the first
# rounds of section 2 are aggregated this way, and compared with the plain
# average the next round started from. (``federated_rounds(..., keypair=...)``
# runs every round like this and goes on with the encrypted average.)

# %%
def show_secure_rounds(lesson, keypair, plain_run, rounds, test):
    """The copies the owners made in section 2's first rounds, aggregated under encryption."""
    print(f"Each owner encrypts all {WEIGHTS} weights of their model ({3 * WEIGHTS} encryptions a round).")
    print("round  plain average  encrypted average  largest |difference| of a weight")
    secure_rounds = []
    for r in plain_run.rounds[:rounds]:
        secure = secure_average(keypair, r.copies, lesson.k.name != "pure")
        secure_test = accuracy(lesson.k, RECIPE, secure.parameters, test)
        difference = largest_difference(r.average, secure.parameters)
        print(f"{r.number:5d}  {percent(r.test):>13s}  {percent(secure_test):>17s}  {difference:.1e}")
        secure_rounds.append((r, secure, secure_test, difference))
    step = 2.0 ** -paillier.FRACTION_BITS
    largest = max(difference for *_, difference in secure_rounds)
    print(f"The two averages agree to {largest:.1e}: each weight was rounded to a multiple of "
          f"2**-{paillier.FRACTION_BITS} = {step:.1e},")
    print(f"so their average is off by at most half of that, {step / 2:.1e} (plus float rounding).")
    same = all(r.test == secure_test for r, _, secure_test, _ in secure_rounds)
    print(f"Test accuracy {'is the same' if same else 'differs'} in every round.")
    first = secure_rounds[0][1]
    print(f"Measured here: one round took {first.seconds_encrypting:.2f} s to encrypt, "
          f"{first.seconds_adding:.2f} s to add, {first.seconds_decrypting:.2f} s to decrypt "
          f"({KEY_BITS}-bit key)")
    last, secure = secure_rounds[-1][:2]
    print(f"The first three weights of pixel 20 after round {last.number}, averaged both ways:")
    for name, model in (("plain    ", last.average), ("encrypted", secure.parameters)):
        print(f"  {name}", "  ".join(f"{float(w):+.15f}" for w in list(model[0][20])[:3]))
    return secure_rounds


# %%
def main(argv=None, epochs=None, examples=None):
    lesson, cli_epochs, cli_examples = start_digits(__doc__, argv, OPTIONS)
    rounds = epochs or cli_epochs or ROUNDS
    examples = examples or cli_examples
    short = examples is not None
    train, test = digits_data(examples)

    print("1. The owners: the training images dealt out unevenly")
    owners = split_among_owners(train)
    show_owners(owners, test)

    print(f"\n2. Federated averaging: {rounds} rounds, each owner one epoch a round "
          "(64 -> 32 relu -> 10, alpha 0.01)")
    plain_run = federated_rounds(lesson.k, RECIPE, owners, test, rounds)
    show_rounds(plain_run, owners)
    compare(lesson, owners, train, test, rounds, plain_run)

    print("\n3. The leak: what one update says about the data")
    start_model = parameters_of(DigitNetwork(lesson.k, RECIPE))
    image, moved = show_leak(lesson, owners[0], start_model)

    print(f"\n4. Paillier encryption by hand ({KEY_BITS}-bit keys, as the book's demo)")
    keypair = paillier.generate_keypair(KEY_BITS, rng=KEY_SEED)
    show_paillier(*keypair, short, len(owners) * WEIGHTS)

    secure_rounds = 1 if short else min(rounds, SECURE_ROUNDS)   # a short run: one round (encryption is slow)
    print("\n5. Secure aggregation: the owners' models of "
          + ("round 1" if secure_rounds == 1 else f"rounds 1 to {secure_rounds}") + ", encrypted")
    show_secure_rounds(lesson, keypair, plain_run, secure_rounds, test)

    lesson.plot("ch17_leak.png", draw_leak(image, moved, owners[0].name))
    lesson.plot("ch17_rounds.png", draw_rounds(plain_run, owners))
    lesson.finish()


if __name__ == "__main__":
    main()
