namespace WasmSharedMemory.Tests.Corpus;

/// <summary>
/// The corpus's deterministic input, byte for byte what tests/corpus/node/input.mjs writes: English-like words drawn
/// by xorshift32, a line break every 12 words, cut at the length asked for.
/// </summary>
internal static class CorpusInput
{
    private static readonly string[] s_words =
        ("the of and to in is that for it as was with be by on not he this are or his from at which but have an " +
         "they you were her she there been one all we their has would when if so no will more can out up into do than " +
         "memory module buffer wasm host guest allocate span thread pool compress decode token hash").Split(' ');

    /// <summary>Returns <paramref name="length"/> bytes of text drawn from <paramref name="seed"/>.</summary>
    public static byte[] Text(int length, uint seed)
    {
        var output = new byte[length];
        uint state = seed == 0 ? 0x9e3779b9 : seed;
        int at = 0;
        for (int n = 0; at < length; n++)
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            string word = s_words[state % (uint)s_words.Length];
            for (int i = 0; i < word.Length && at < length; i++)
            {
                output[at++] = (byte)word[i];
            }

            if (at < length)
            {
                output[at++] = (byte)((n + 1) % 12 == 0 ? '\n' : ' ');
            }
        }

        return output;
    }
}
