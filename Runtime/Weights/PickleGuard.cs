using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace CnnDsl.Runtime.Weights
{
    /// <summary>Reads a pickle (the <c>data.pkl</c> inside a <c>torch.save</c> file) opcode by
    /// opcode without running any of it, and refuses it unless every callable it names is one a
    /// tensor state_dict needs: <c>collections.OrderedDict</c>, torch's tensor rebuilders and
    /// storage types. A pickle can name any Python callable (<c>posix.system</c>,
    /// <c>builtins.eval</c>) and have the unpickler call it; nothing in .NET could run Python, but
    /// such a file is refused here, by name, before any unpickler sees it. The same rule as
    /// PyTorch's own <c>torch.load(weights_only=True)</c>, as an allow-list.</summary>
    public static class PickleGuard
    {
        /// <summary>The callables a torch.save state_dict names (PyTorch 1.6 to 2.x, protocol 2).</summary>
        private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
        {
            "collections.OrderedDict",
            "torch._utils._rebuild_tensor",
            "torch._utils._rebuild_tensor_v2",
            "torch.DoubleStorage", "torch.FloatStorage", "torch.HalfStorage", "torch.BFloat16Storage",
            "torch.LongStorage", "torch.IntStorage", "torch.ShortStorage", "torch.CharStorage",
            "torch.ByteStorage", "torch.BoolStorage",
        };

        /// <summary>Checks a whole pickle; returns the strings it pushes, in order (state_dict keys
        /// among them, in the order torch.save wrote them).</summary>
        /// <param name="pickle">The pickle's bytes.</param>
        /// <param name="source">Names the file in messages.</param>
        /// <exception cref="WeightFileException">The pickle names a callable outside the
        /// allow-list, uses an opcode that imports by other means (extension registry, out-of-band
        /// buffers), or is malformed.</exception>
        public static IReadOnlyList<string> Check(byte[] pickle, string source)
        {
            var strings = new List<string>();
            // Strings by memo index, for STACK_GLOBAL (module and name pushed, possibly memo gets).
            var memo = new Dictionary<long, string?>();
            string? last = null, beforeLast = null;
            var position = 0;

            int Byte()
            {
                if (position >= pickle.Length) throw Malformed(source, position, "ends inside an opcode");
                return pickle[position++];
            }

            long Fixed(int count)
            {
                if (position + count > pickle.Length) throw Malformed(source, position, "ends inside an argument");
                long value = 0;
                for (var i = 0; i < count; i++) value |= (long)pickle[position + i] << (8 * i);
                position += count;
                return value;
            }

            byte[] Bytes(long count)
            {
                if (count < 0 || count > pickle.Length - position) throw Malformed(source, position, "claims more bytes than it holds");
                var value = new byte[count];
                Array.Copy(pickle, position, value, 0, count);
                position += (int)count;
                return value;
            }

            string Line()
            {
                var end = Array.IndexOf(pickle, (byte)'\n', position);
                if (end < 0) throw Malformed(source, position, "has a text argument without its end of line");
                var text = Encoding.UTF8.GetString(pickle, position, end - position);
                position = end + 1;
                return text;
            }

            void Push(string? text)
            {
                beforeLast = last;
                last = text;
                if (text is not null) strings.Add(text);
            }

            void Global(string module, string name, int at)
            {
                var full = module + "." + name;
                if (!Allowed.Contains(full))
                {
                    throw new WeightFileException(
                        $"{source}: refused: its pickle would call `{full}` (at byte {at}), which a PyTorch state_dict never needs; "
                        + "nothing was run. "
                        + (module.StartsWith("torch", StringComparison.Ordinal)
                            ? "The file holds a pickled object, not a state_dict of tensors: re-save it in Python with torch.save(model.state_dict(), path)."
                            : "Only tensors saved with torch.save(model.state_dict(), path) or a .safetensors file can be loaded."));
                }

                Push(null);
            }

            while (true)
            {
                var at = position;
                var opcode = Byte();
#pragma warning disable format // one line per opcode (or group of opcodes) keeps the table readable
                switch (opcode)
                {
                    case '.': // STOP
                        if (position != pickle.Length && !OnlyPadding(pickle, position)) throw Malformed(source, position, "has bytes after its end");
                        return strings;
                    case 0x80: Fixed(1); break; // PROTO
                    case 0x95: Fixed(8); break; // FRAME
                    case '(': case '0': case '1': case '2': case 'N': case ')': case ']': case '}': case 'a': case 'b': case 'd':
                    case 'e': case 'l': case 's': case 't': case 'u': case 0x85: case 0x86: case 0x87: case 0x88: case 0x89:
                    case 0x8f: case 0x90: case 0x91: case 'R': case 'Q': case 0x81: case 0x92: case 'o':
                        // Structure, REDUCE, BUILD, NEWOBJ, OBJ: they call only what a checked global pushed.
                        Push(null);
                        break;
                    case 0x94: // MEMOIZE
                        memo[memo.Count] = last;
                        break;
                    case 'q': Remember(memo, Fixed(1), last); break; // BINPUT
                    case 'r': Remember(memo, Fixed(4), last); break; // LONG_BINPUT
                    case 'p': Remember(memo, ParseIndex(Line(), source, at), last); break; // PUT
                    case 'h': Push(Recall(memo, Fixed(1))); break; // BINGET
                    case 'j': Push(Recall(memo, Fixed(4))); break; // LONG_BINGET
                    case 'g': Push(Recall(memo, ParseIndex(Line(), source, at))); break; // GET
                    case 'K': Fixed(1); Push(null); break; // BININT1
                    case 'M': Fixed(2); Push(null); break; // BININT2
                    case 'J': Fixed(4); Push(null); break; // BININT
                    case 'G': Fixed(8); Push(null); break; // BINFLOAT
                    case 0x8a: Bytes(Fixed(1)); Push(null); break; // LONG1
                    case 0x8b: Bytes(Fixed(4)); Push(null); break; // LONG4
                    case 'I': case 'L': case 'F': Line(); Push(null); break; // INT, LONG, FLOAT
                    case 'P': Line(); Push(null); break; // PERSID (torch's storages)
                    case 'S': case 'V': Push(Line()); break; // STRING, UNICODE
                    case 'U': Push(Latin1(Bytes(Fixed(1)))); break; // SHORT_BINSTRING
                    case 'T': Push(Latin1(Bytes(Fixed(4)))); break; // BINSTRING
                    case 0x8c: Push(Encoding.UTF8.GetString(Bytes(Fixed(1)))); break; // SHORT_BINUNICODE
                    case 'X': Push(Encoding.UTF8.GetString(Bytes(Fixed(4)))); break; // BINUNICODE
                    case 0x8d: Push(Encoding.UTF8.GetString(Bytes(Fixed(8)))); break; // BINUNICODE8
                    case 'C': Bytes(Fixed(1)); Push(null); break; // SHORT_BINBYTES
                    case 'B': Bytes(Fixed(4)); Push(null); break; // BINBYTES
                    case 0x8e: case 0x96: Bytes(Fixed(8)); Push(null); break; // BINBYTES8, BYTEARRAY8
                    case 'c': // GLOBAL module\nname\n
                    case 'i': // INST module\nname\n
                        var module = Line();
                        Global(module, Line(), at);
                        break;
                    case 0x93: // STACK_GLOBAL: module and name are the two strings just pushed
                        if (last is null || beforeLast is null)
                        {
                            throw new WeightFileException($"{source}: refused: its pickle imports a callable whose name is computed (STACK_GLOBAL at byte {at}); nothing was run.");
                        }

                        Global(beforeLast, last, at);
                        break;
                    case 0x82: case 0x83: case 0x84: // EXT1, EXT2, EXT4: callables from the copyreg registry
                    case 0x97: case 0x98: // NEXT_BUFFER, READONLY_BUFFER: out-of-band data
                        throw new WeightFileException($"{source}: refused: its pickle uses opcode 0x{opcode:x2} (at byte {at}), which a PyTorch state_dict never needs; nothing was run.");
                    default:
                        throw Malformed(source, at, $"has an unknown opcode 0x{opcode:x2}");
                }
#pragma warning restore format
            }
        }

        private static void Remember(Dictionary<long, string?> memo, long index, string? value) => memo[index] = value;

        private static string? Recall(Dictionary<long, string?> memo, long index) => memo.TryGetValue(index, out var value) ? value : null;

        private static long ParseIndex(string text, string source, int at) =>
            long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
                ? index
                : throw Malformed(source, at, $"has a memo index '{text}' that is not a number");

        private static string Latin1(byte[] bytes) => Encoding.Latin1.GetString(bytes);

        private static bool OnlyPadding(byte[] pickle, int from)
        {
            for (var i = from; i < pickle.Length; i++)
            {
                if (pickle[i] != 0) return false;
            }

            return true;
        }

        private static WeightFileException Malformed(string source, int at, string what) =>
            new($"{source}: not a readable PyTorch file: its pickle {what} (byte {at}).");
    }
}
