using System;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Wasmtime;
using WasmSharedMemory.Internals.Calls;
using WasmSharedMemory.Internals.Native;

namespace WasmSharedMemory.Tests;

/// <summary>The value table itself: every row converts both ways without loss, and lookups agree with it.</summary>
public sealed class WasmTypesTests : LeakCheckedTests
{
    public static TheoryData<string> Rows => new(WasmTypes.Scalars.Select(r => r.Name));

    [Theory]
    [MemberData(nameof(Rows))]
    public void EveryRow_RoundTripsItsExtremesThroughARawSlotAndABox(string name)
    {
        WasmType row = WasmTypes.Scalars.Single(r => r.Name == name);

        // WasmValue<T> tells buffers from scalars by IsValueType: every scalar must be a struct.
        Assert.True(row.Type.IsValueType, $"{row} is a reference type");

        typeof(WasmTypesTests).GetMethod(nameof(RoundTrip), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(row.Type).Invoke(null, new object[] { row });
    }

    [Fact]
    public void KindOf_ReadsTheTableAndRefusesWhatIsNotInIt()
    {
        Assert.Equal(ValueKind.Float32, WasmTypes.KindOf(typeof(float)));
        Assert.Equal(ValueKind.Int64, WasmTypes.KindOf(typeof(ulong)));
        Assert.Equal(ValueKind.Int32, WasmTypes.KindOf(typeof(WasmBuffer<double>)));
        Assert.Contains("use sbyte, byte, short, ushort, int, uint, bool, long, ulong, float or double", Assert.Throws<NotSupportedException>(() => WasmTypes.KindOf(typeof(string))).Message);
    }

    private static void RoundTrip<T>(WasmType row)
        where T : struct
    {
        Assert.Equal(row.Kind, WasmValue<T>.Kind);
        foreach (T value in Extremes<T>())
        {
            RawValue slot = default;
            WasmValue<T>.Write(value, ref slot);
            Assert.Equal(value, WasmValue<T>.Read(ref slot));

            // The public path and imports carry the same value in a Wasmtime box.
            RawValue unboxed = default;
            RawValues.Unbox(row.Kind, RawValues.Box(row.Kind, slot), ref unboxed);
            Assert.Equal(value, WasmValue<T>.Read(ref unboxed));
        }

        Assert.True(Unsafe.SizeOf<T>() <= (row.Kind is ValueKind.Int64 or ValueKind.Float64 ? 8 : 4), $"{row} is wider than its wasm value");
    }

    private static T[] Extremes<T>()
    {
        Type type = typeof(T);
        if (type == typeof(bool))
        {
            return new[] { (T)(object)false, (T)(object)true };
        }

        FieldInfo? min = type.GetField("MinValue");
        FieldInfo? max = type.GetField("MaxValue");
        return new[] { (T)min!.GetValue(null)!, default(T)!, (T)max!.GetValue(null)! };
    }
}
