"""PDF user space (origin bottom left) -> reading space (the text upright, origin top left)."""

from __future__ import annotations

from dataclasses import dataclass

Box = tuple[float, float, float, float]  # (x0, top, x1, bottom) in reading space


@dataclass(frozen=True)
class Frame:
    """Maps PDF user space (origin bottom left) to reading space: the text upright, origin top left.

    `rotation` is the direction the page's text runs in user space (degrees counter-clockwise,
    a multiple of 90), taken from the characters, not from /Rotate: a landscape table drawn
    sideways reads the same with or without a /Rotate that shows it upright.
    """

    left: float
    bottom: float
    right: float
    top: float
    rotation: int

    @classmethod
    def of(cls, page, rotation: int) -> "Frame":
        left, bottom, right, top = page.get_cropbox()
        return cls(left, bottom, right, top, rotation)

    @property
    def width(self) -> float:
        return (self.top - self.bottom) if self.rotation in (90, 270) else (self.right - self.left)

    @property
    def height(self) -> float:
        return (self.right - self.left) if self.rotation in (90, 270) else (self.top - self.bottom)

    def point(self, x: float, y: float) -> tuple[float, float]:
        """(x, top) on the displayed page."""
        if self.rotation == 90:
            return y - self.bottom, x - self.left
        if self.rotation == 180:
            return self.right - x, y - self.bottom
        if self.rotation == 270:
            return self.top - y, self.right - x
        return x - self.left, self.top - y

    def box(self, left: float, bottom: float, right: float, top: float) -> Box:
        """(x0, top, x1, bottom) on the displayed page."""
        xa, ya = self.point(left, bottom)
        xb, yb = self.point(right, top)
        return min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb)


def round_box(box) -> Box:
    """A box as provenance carries it: each coordinate rounded to 0.01 point."""
    return tuple(round(float(v), 2) for v in box)
