using System.Collections.Generic;
using System.Text;

namespace CnnDsl.Dsl.Text;

/// <summary>A run of bytes that is not UTF-8: where it lies in the decoded text (each byte
/// became one U+FFFD) and the bytes themselves.</summary>
internal readonly record struct InvalidBytes(TextRange Range, long ByteOffset, byte[] Bytes);

/// <summary>Strict UTF-8 decoding that says where it failed, instead of silently replacing
/// (as File.ReadAllText does). Overlong forms, surrogates and code points above U+10FFFF are
/// invalid, as the Unicode standard says. A leading byte order mark is dropped.</summary>
internal static class Utf8Text
{
    public static (string Text, List<InvalidBytes> Invalid) Decode(byte[] bytes)
    {
        var text = new StringBuilder(bytes.Length);
        var invalid = new List<InvalidBytes>();
        var i = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        var runStart = -1;
        var runChar = 0;
        while (i < bytes.Length)
        {
            var length = SequenceLength(bytes, i);
            if (length > 0)
            {
                CloseRun(bytes, i, ref runStart, runChar, text.Length, invalid);
                if (length == 1)
                {
                    text.Append((char)bytes[i]);
                }
                else
                {
                    var codePoint = bytes[i] & (0xFF >> (length + 1));
                    for (var k = 1; k < length; k++) codePoint = (codePoint << 6) | (bytes[i + k] & 0x3F);
                    if (codePoint >= 0x10000)
                    {
                        codePoint -= 0x10000;
                        text.Append((char)(0xD800 + (codePoint >> 10))).Append((char)(0xDC00 + (codePoint & 0x3FF)));
                    }
                    else
                    {
                        text.Append((char)codePoint);
                    }
                }

                i += length;
                continue;
            }

            if (runStart < 0)
            {
                runStart = i;
                runChar = text.Length;
            }

            text.Append('\uFFFD');
            i++;
        }

        CloseRun(bytes, i, ref runStart, runChar, text.Length, invalid);
        return (text.ToString(), invalid);
    }

    private static void CloseRun(byte[] bytes, int end, ref int runStart, int runChar, int textLength, List<InvalidBytes> invalid)
    {
        if (runStart < 0) return;
        var count = System.Math.Min(end - runStart, 16);
        var shown = new byte[count];
        System.Array.Copy(bytes, runStart, shown, 0, count);
        invalid.Add(new InvalidBytes(new TextRange(runChar, textLength), runStart, shown));
        runStart = -1;
    }

    /// <summary>The length of the well-formed UTF-8 sequence at <paramref name="i"/>, or 0.</summary>
    private static int SequenceLength(byte[] bytes, int i)
    {
        var b = bytes[i];
        if (b < 0x80) return 1;
        int length;
        byte low = 0x80, high = 0xBF;
        switch (b)
        {
            case >= 0xC2 and <= 0xDF: length = 2; break;
            case 0xE0: length = 3; low = 0xA0; break;
            case 0xED: length = 3; high = 0x9F; break;
            case >= 0xE1 and <= 0xEF: length = 3; break;
            case 0xF0: length = 4; low = 0x90; break;
            case 0xF4: length = 4; high = 0x8F; break;
            case >= 0xF1 and <= 0xF3: length = 4; break;
            default: return 0;
        }

        if (i + length > bytes.Length) return 0;
        if (bytes[i + 1] < low || bytes[i + 1] > high) return 0;
        for (var k = 2; k < length; k++)
        {
            if (bytes[i + k] < 0x80 || bytes[i + k] > 0xBF) return 0;
        }

        return length;
    }
}
