using System;
using System.Buffers.Binary;
using System.Globalization;
using System.IO;
using System.IO.Compression;

namespace CnnDsl.Runtime.Data
{
    /// <summary>The content of an IDX file of unsigned bytes: its dimensions and its data.</summary>
    public sealed class IdxArray
    {
        public IdxArray(string path, int[] dimensions, byte[] data)
        {
            Path = path;
            Dimensions = dimensions;
            Data = data;
        }

        /// <summary>The file it was read from.</summary>
        public string Path { get; }

        /// <summary>The dimensions the header declares: [count] for labels, [count, rows, columns] for images.</summary>
        public int[] Dimensions { get; }

        /// <summary>The bytes after the header, exactly as many as the dimensions declare.</summary>
        public byte[] Data { get; }

        /// <summary>The first dimension: how many items the file holds.</summary>
        public int Count => Dimensions[0];
    }

    /// <summary>
    /// Reads and writes IDX files, the format of the MNIST distribution: a 4-byte magic number
    /// (two zero bytes, an element type, the number of dimensions), one big-endian 32-bit size per
    /// dimension, then the elements in row-major order. Only unsigned bytes (type 0x08) are used by
    /// MNIST and only they are read. A name ending in <c>.gz</c> is decompressed first.
    /// </summary>
    /// <remarks>Every header field is checked against the file before any data is used, and each
    /// problem is an <see cref="IdxFormatException"/> naming the file: never a crash, never a
    /// partly read data set. (TorchSharp's native MNIST loader, by contrast, aborts the process on
    /// any file that is not exactly 60,000 or 10,000 images.)</remarks>
    public static class IdxFile
    {
        /// <summary>The element type code of unsigned bytes.</summary>
        public const byte UnsignedByte = 0x08;

        /// <summary>The magic number of a file of images: unsigned bytes, 3 dimensions.</summary>
        public const int ImagesMagic = 0x00000803;

        /// <summary>The magic number of a file of labels: unsigned bytes, 1 dimension.</summary>
        public const int LabelsMagic = 0x00000801;

        /// <summary>Reads a file of images: [count, rows, columns] unsigned bytes.</summary>
        public static IdxArray ReadImages(string path) => Read(path, 3, "an image file (count, rows, columns)");

        /// <summary>Reads a file of labels: [count] unsigned bytes.</summary>
        public static IdxArray ReadLabels(string path) => Read(path, 1, "a label file (count)");

        /// <summary>Reads an IDX file of unsigned bytes with the given number of dimensions. Only
        /// the header is read before the data's size is checked: against the file's length (or, for
        /// a .gz file or something that is not a regular file, against what actually follows, read
        /// no further than the header declares), against what one array holds and against the
        /// memory available. So a header that claims 2^31 images, a truncated file, or
        /// <c>/dev/zero</c> given by mistake costs a few bytes of reading, never the memory it claims.</summary>
        /// <exception cref="IdxFormatException">The file is missing, unreadable, not IDX, or its
        /// header does not describe its content.</exception>
        public static IdxArray Read(string path, int expectedDimensions, string what)
        {
            ArgumentNullException.ThrowIfNull(path);
            if (Directory.Exists(path)) throw new IdxFormatException(path, "is a folder, not an IDX file");
            if (!File.Exists(path)) throw new IdxFormatException(path, "file not found");
            try
            {
                using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
                var compressed = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
                // The length of a regular file is known before reading; a device (/dev/zero reports
                // 0), a pipe or the content of a .gz file is known only as it is read.
                long? fileLength = !compressed && file.CanSeek && file.Length > 0 ? file.Length : null;
                using var stream = compressed ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
                return Read(stream, path, fileLength, expectedDimensions, what);
            }
            catch (InvalidDataException e)
            {
                throw new IdxFormatException(path, $"not a valid gzip file ({e.Message})", e);
            }
            catch (Exception e) when (e is IOException and not IdxFormatException or UnauthorizedAccessException or NotSupportedException)
            {
                throw new IdxFormatException(path, $"cannot be read: {e.Message}", e);
            }
        }

        private static IdxArray Read(Stream stream, string path, long? fileLength, int expectedDimensions, string what)
        {
            var magicBytes = new byte[4];
            var got = ReadUpTo(stream, magicBytes);
            if (got < 4)
            {
                throw new IdxFormatException(path,
                    $"the file is {got} byte{(got == 1 ? "" : "s")} long, too short for an IDX header (a 4-byte magic number, then the dimensions): it is empty or truncated");
            }

            var magic = BinaryPrimitives.ReadInt32BigEndian(magicBytes);
            if (magicBytes[0] != 0 || magicBytes[1] != 0)
            {
                throw new IdxFormatException(path,
                    $"bad magic number 0x{magic:X8}: an IDX file starts with two zero bytes, then its element type and dimension count (0x{ImagesMagic:X8} for images, 0x{LabelsMagic:X8} for labels); this is not an IDX file"
                    + (magicBytes[0] == 0x1f && magicBytes[1] == 0x8b ? " (it looks gzip-compressed: name it *.gz, or decompress it)" : ""));
            }

            if (magicBytes[2] != UnsignedByte)
            {
                throw new IdxFormatException(path,
                    $"bad magic number 0x{magic:X8}: element type 0x{magicBytes[2]:X2} ({TypeName(magicBytes[2])}); MNIST files hold unsigned bytes (0x08)");
            }

            int dimensions = magicBytes[3];
            if (dimensions != expectedDimensions)
            {
                throw new IdxFormatException(path,
                    $"wrong dimensions: the magic number 0x{magic:X8} declares {dimensions} dimension{(dimensions == 1 ? "" : "s")}, but {what} has {expectedDimensions}"
                    + (dimensions == 1 && expectedDimensions == 3 ? "; is this a label file?" : dimensions == 3 && expectedDimensions == 1 ? "; is this an image file?" : ""));
            }

            var headerLength = 4 + 4L * dimensions;
            var sizeBytes = new byte[4 * dimensions];
            var gotSizes = ReadUpTo(stream, sizeBytes);
            if (gotSizes < sizeBytes.Length)
            {
                throw new IdxFormatException(path,
                    $"truncated header: {dimensions} dimensions need a {headerLength}-byte header, but the file is {4 + gotSizes} bytes long");
            }

            var sizes = new int[dimensions];
            long elements = 1;
            for (var d = 0; d < dimensions; d++)
            {
                var size = BinaryPrimitives.ReadUInt32BigEndian(sizeBytes.AsSpan(4 * d));
                if (size == 0 || size > int.MaxValue)
                {
                    throw new IdxFormatException(path,
                        $"wrong dimensions: dimension {d + 1} of {dimensions} ({DimensionName(d, dimensions)}) is {size.ToString(CultureInfo.InvariantCulture)}; it must be between 1 and {int.MaxValue.ToString(CultureInfo.InvariantCulture)}");
                }

                sizes[d] = (int)size;
                elements = checked(elements * size);
            }

            if (fileLength is { } length)
            {
                var available = length - headerLength;
                if (available < elements)
                {
                    throw new IdxFormatException(path,
                        $"truncated file: the header declares {Describe(sizes)} = {N(elements)} bytes of data after its {headerLength} bytes, but only {N(available)} follow ({N(elements - available)} missing)");
                }

                if (available > elements)
                {
                    throw new IdxFormatException(path,
                        $"wrong size: the header declares {Describe(sizes)} = {N(elements)} bytes of data, but {N(available)} follow the {headerLength}-byte header ({N(available - elements)} too many): the header does not describe this file");
                }
            }

            if (elements > Array.MaxLength)
            {
                throw new IdxFormatException(path, $"the header declares {Describe(sizes)} = {N(elements)} bytes of data, more than one array can hold ({N(Array.MaxLength)})");
            }

            var memory = ModelMemory.AvailableBytes();
            if (elements > memory)
            {
                throw new IdxFormatException(path,
                    $"the header declares {Describe(sizes)} = {ModelMemory.Size(elements)} of data, more than the {ModelMemory.Size(memory)} of memory available");
            }

            // Read in steps, so that data that ends early (a .gz file, a device) costs only what is there.
            var data = new byte[Math.Min(elements, 1L << 24)];
            long filled = 0;
            while (filled < elements)
            {
                if (filled == data.Length) Array.Resize(ref data, (int)Math.Min(elements, data.LongLength * 2));
                var read = stream.Read(data, (int)filled, data.Length - (int)filled);
                if (read == 0)
                {
                    throw new IdxFormatException(path,
                        $"truncated file: the header declares {Describe(sizes)} = {N(elements)} bytes of data after its {headerLength} bytes, but only {N(filled)} follow ({N(elements - filled)} missing)");
                }

                filled += read;
            }

            if (fileLength is null && stream.ReadByte() >= 0)
            {
                throw new IdxFormatException(path,
                    $"wrong size: the header declares {Describe(sizes)} = {N(elements)} bytes of data, but more follow: the header does not describe this file");
            }

            return new IdxArray(path, sizes, data);
        }

        /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; the bytes read.</summary>
        private static int ReadUpTo(Stream stream, byte[] buffer)
        {
            var count = 0;
            while (count < buffer.Length)
            {
                var read = stream.Read(buffer, count, buffer.Length - count);
                if (read == 0) break;
                count += read;
            }

            return count;
        }

        /// <summary>Writes [count, rows, columns] images (atomically: see <see cref="AtomicFile"/>).</summary>
        public static void WriteImages(string path, int count, int rows, int columns, ReadOnlySpan<byte> pixels)
        {
            if ((long)count * rows * columns != pixels.Length)
            {
                throw new ArgumentException($"{count} images of {rows}x{columns} need {(long)count * rows * columns} bytes, not {pixels.Length}", nameof(pixels));
            }

            Write(path, new[] { count, rows, columns }, pixels.ToArray());
        }

        /// <summary>Writes [count] labels (atomically).</summary>
        public static void WriteLabels(string path, ReadOnlySpan<byte> labels) =>
            Write(path, new[] { labels.Length }, labels.ToArray());

        private static void Write(string path, int[] dimensions, byte[] data)
        {
            var header = new byte[4 + 4 * dimensions.Length];
            header[2] = UnsignedByte;
            header[3] = (byte)dimensions.Length;
            for (var d = 0; d < dimensions.Length; d++)
            {
                BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * d), dimensions[d]);
            }

            AtomicFile.Write(path, stream =>
            {
                if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
                {
                    using var gzip = new GZipStream(stream, CompressionLevel.Optimal, leaveOpen: true);
                    gzip.Write(header);
                    gzip.Write(data);
                }
                else
                {
                    stream.Write(header);
                    stream.Write(data);
                }
            });
        }

        private static string Describe(int[] sizes) => sizes.Length switch
        {
            1 => $"{N(sizes[0])} labels",
            3 => $"{N(sizes[0])} images of {sizes[1]}x{sizes[2]}",
            _ => string.Join(" x ", sizes),
        };

        private static string DimensionName(int index, int count) => (count, index) switch
        {
            (1, 0) => "the number of labels",
            (3, 0) => "the number of images",
            (3, 1) => "rows",
            (3, 2) => "columns",
            _ => "a size",
        };

        private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

        private static string TypeName(byte type) => type switch
        {
            0x09 => "signed byte",
            0x0B => "short",
            0x0C => "int",
            0x0D => "float",
            0x0E => "double",
            _ => "not an IDX type",
        };
    }
}
