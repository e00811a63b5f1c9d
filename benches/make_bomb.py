"""Writes a wheel whose one member, named like an extension module, inflates to SIZE_MIB of
zeros (a zip bomb: about 1/1000 of that on disk). Each 16 MiB is deflated once and repeated;
every piece ends in a full flush, so the repetition is valid deflate.

    python3 benches/make_bomb.py WHEEL SIZE_MIB
"""

import struct
import sys
import zlib

wheel, size_mib = sys.argv[1], int(sys.argv[2])
piece = bytes(16 << 20)
count = size_mib // 16
compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
block = compressor.compress(piece) + compressor.flush(zlib.Z_FULL_FLUSH)
data = block * count + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
crc = 0
for _ in range(count):
    crc = zlib.crc32(piece, crc)
size = count * len(piece)
name = b"bomb/_core.cpython-312-x86_64-linux-gnu.so"
zip64 = size >= 0xFFFFFFFF
if zip64:
    sys.exit("keep SIZE_MIB below 4096: this writer has no zip64 records")
with open(wheel, "wb") as out:
    out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(name), 0) + name)
    out.write(data)
    directory = out.tell()
    out.write(
        struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(data), size, len(name), 0, 0, 0, 0, 0, 0)
        + name
    )
    end = out.tell()
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, end - directory, directory, 0))
