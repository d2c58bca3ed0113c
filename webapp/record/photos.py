"""Phone photos made to fit the record: HEIC converted to JPEG, and a JPEG or PNG over the
size limit re-encoded (lower quality, then smaller) instead of refused.

A photo that is rewritten is turned upright as the phone meant it (EXIF orientation),
and loses every other metadata: no EXIF, no XMP, so no GPS position of where it was
taken. A photo that carries a GPS position is rewritten too, whatever its size (the
record is shared with professionals: where the person lives is none of theirs); one
that fits and says nothing of where it was taken is stored as it came, byte for byte.
"""

import io
import warnings

import pillow_heif
from PIL import Image, ImageOps, UnidentifiedImageError

from webapp import storage

pillow_heif.register_heif_opener()

GPS_IFD = 0x8825
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
# Larger than any phone's usual photo (50 MP sensors bin to 12 MP); beyond, Pillow's
# decompression-bomb guard would stop it anyway.
MAX_PIXELS = 64_000_000
QUALITIES = (85, 75)
SHRINK = 0.8  # each further step: 80 % of the width and height
STEPS = 8


def is_heif(head):
    """True for an HEIF/HEIC container (phones' photos), from its first bytes."""
    return head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS


def _located(stream):
    """True when the photo's EXIF holds a GPS position (read from its header only)."""
    try:
        with Image.open(stream) as image:
            return bool(image.getexif().get_ifd(GPS_IFD))
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError):
        return False
    finally:
        stream.seek(0)


def needs_fitting(stream, limit):
    """True when the stream is a HEIC photo, or a JPEG or PNG photo over `limit` bytes or
    that says where it was taken."""
    head = stream.read(16)
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    if is_heif(head):
        return True
    if storage.sniff(head) not in ("image/jpeg", "image/png"):
        return False
    return size > limit or _located(stream)


def _upright(stream):
    """The decoded image, turned upright, in RGB, with no metadata left."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(stream)
            if image.width * image.height > MAX_PIXELS:
                raise storage.FileRefused("too_large")
            image = ImageOps.exif_transpose(image)
        except (UnidentifiedImageError, Image.DecompressionBombWarning,
                Image.DecompressionBombError, OSError, ValueError) as error:
            raise storage.FileRefused("type") from error
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    elif image.mode != "RGB":
        image = image.convert("RGB")
    clean = Image.new("RGB", image.size)  # a new image: nothing of the original's info
    clean.paste(image)
    return clean


def _jpeg(image, quality):
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()


def fit(stream, limit=storage.MAX_SIZE):
    """JPEG bytes of the photo in `stream`, at most `limit` bytes: first the same size at
    lower quality, then smaller. Raises FileRefused ('type' when it is not a readable
    photo, 'too_large' when nothing fits)."""
    image = _upright(stream)
    for quality in QUALITIES:
        data = _jpeg(image, quality)
        if len(data) <= limit:
            return data
    for _step in range(STEPS):
        # shrink by the ratio still to win (area ~ bytes), at least by SHRINK
        ratio = min(SHRINK, (limit / len(data)) ** 0.5 * 0.95)
        size = (max(1, int(image.width * ratio)), max(1, int(image.height * ratio)))
        image = image.resize(size, Image.Resampling.LANCZOS)
        data = _jpeg(image, QUALITIES[-1])
        if len(data) <= limit:
            return data
    raise storage.FileRefused("too_large")
