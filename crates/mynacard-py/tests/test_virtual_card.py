"""The virtual card and the package surface, for researchers."""

import doctest

import pytest

import mynacard

JPKI_AP = bytes.fromhex("D392F000260100000001")


def test_select_the_jpki_application():
    card = mynacard.VirtualCard("yamada")
    response = card.transmit(bytes([0x00, 0xA4, 0x04, 0x0C, len(JPKI_AP)]) + JPKI_AP)
    assert response[-2:] == b"\x90\x00"
    unknown = card.transmit(bytes.fromhex("00A4040C05A000000000"))
    assert unknown[-2:] != b"\x90\x00"


def test_holders():
    holders = mynacard.VirtualCard.holders()
    assert "yamada" in holders and "kato" in holders
    with pytest.raises(mynacard.InvalidArgumentError):
        mynacard.VirtualCard("nobody")


def test_version_and_features():
    assert mynacard.__version__.count(".") == 2
    assert "virtual-card" in mynacard.features()


def test_the_package_docstring_example_runs():
    result = doctest.testmod(mynacard, verbose=False)
    assert result.attempted >= 3
    assert result.failed == 0
