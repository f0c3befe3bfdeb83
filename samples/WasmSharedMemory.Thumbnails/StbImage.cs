// stb's API as it is, declared in C#: the generator writes the bodies (argument marshalling, out-parameters
// through a scratch block in the module's memory, one guarded call each) and a constructor that binds and
// checks every export against stb.wasm at once. The C signatures, from Debian's <stb/*.h>, are beside each.
using WasmSharedMemory;

namespace Thumbnails;

/// <summary>stb_image, stb_image_resize and stb_image_write, compiled to stb.wasm by c/build.sh.</summary>
[WasmModule("stb.wasm")]
public sealed partial class StbImage
{
    /// <summary>Reads an image's size and channel count without decoding it; <see langword="false"/> if stb cannot read it.</summary>
    // int stbi_info_from_memory(stbi_uc const *buffer, int len, int *x, int *y, int *comp)
    [WasmExport("stbi_info_from_memory")]
    public partial bool InfoFromMemory(WasmBuffer<byte> buffer, int length, out int width, out int height, out int channels);

    /// <summary>Decodes an image into a block from the module's <c>malloc</c> of width × height × channels bytes; 0 on failure.</summary>
    // stbi_uc *stbi_load_from_memory(stbi_uc const *buffer, int len, int *x, int *y, int *channels_in_file, int desired_channels)
    [WasmExport("stbi_load_from_memory")]
    public partial uint LoadFromMemory(WasmBuffer<byte> buffer, int length, out int width, out int height,
                                       out int channelsInFile, int desiredChannels);

    /// <summary>Why the last decode failed, or <see langword="null"/>.</summary>
    // const char *stbi_failure_reason(void)
    [WasmExport("stbi_failure_reason")]
    public partial string? FailureReason();

    /// <summary>Resizes 8-bit pixels (a stride of 0 means rows packed); <see langword="false"/> on failure.</summary>
    // int stbir_resize_uint8(const unsigned char *input_pixels, int input_w, int input_h, int input_stride_in_bytes,
    //                        unsigned char *output_pixels, int output_w, int output_h, int output_stride_in_bytes, int num_channels)
    [WasmExport("stbir_resize_uint8")]
    public partial bool Resize(WasmBuffer<byte> input, int inputWidth, int inputHeight, int inputStride,
                               WasmBuffer<byte> output, int outputWidth, int outputHeight, int outputStride, int channels);

    /// <summary>Encodes pixels as a PNG in a block from the module's <c>malloc</c> of <paramref name="length"/> bytes; 0 on failure.</summary>
    // unsigned char *stbi_write_png_to_mem(const unsigned char *pixels, int stride_bytes, int x, int y, int n, int *out_len)
    [WasmExport("stbi_write_png_to_mem")]
    public partial uint WritePngToMemory(WasmBuffer<byte> pixels, int strideBytes, int width, int height, int channels,
                                         out int length);
}
