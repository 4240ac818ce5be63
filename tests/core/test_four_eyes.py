"""The four-eyes rule: whoever wrote a thing never approves it."""

from __future__ import annotations

from tinhso.core.four_eyes import wrote_it


def test_the_reviewer_is_one_of_the_writers():
    assert wrote_it(7, [7])
    assert wrote_it(7, [3, 7])  # entered by 3, submitted by 7
    assert wrote_it(7, (None, 7))


def test_someone_else_or_nobody_in_particular():
    assert not wrote_it(7, [3])
    assert not wrote_it(7, [])
    assert not wrote_it(7, [None, None])  # the platform wrote it
    assert not wrote_it(None, [None])  # the command line approves what the platform wrote
    assert not wrote_it(None, [3])
