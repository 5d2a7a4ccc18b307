using System;
using System.IO;

namespace CnnDsl.Dsl.Text;

/// <summary>Reads a file only as far as a limit, so that a path to something endless or huge
/// (<c>/dev/zero</c>, a named pipe, a 2 GB file given by mistake) costs at most the limit in
/// time and memory. Whoever reads a file the user names (a .cnn file, an import, a labels file)
/// reads it through here.</summary>
public static class BoundedFile
{
    /// <summary>At most <paramref name="limit"/> bytes of the file, and whether it has more.</summary>
    /// <exception cref="IOException">Reading failed.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static byte[] Read(string path, int limit, out bool truncated)
    {
        if (limit < 0) throw new ArgumentOutOfRangeException(nameof(limit), limit, "a limit of 0 bytes or more");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        var buffer = new byte[Math.Min(limit + 1L, stream.CanSeek ? Math.Max(0, stream.Length) + 1 : 1L << 16)];
        var count = 0;
        while (count <= limit)
        {
            if (count == buffer.Length) Array.Resize(ref buffer, (int)Math.Min(limit + 1L, buffer.Length * 2L));
            var read = stream.Read(buffer, count, buffer.Length - count);
            if (read == 0) break;
            count += read;
        }

        truncated = count > limit;
        Array.Resize(ref buffer, Math.Min(count, limit));
        return buffer;
    }
}
