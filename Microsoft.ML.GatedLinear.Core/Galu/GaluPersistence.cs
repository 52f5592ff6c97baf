using Microsoft.ML.GatedLinear.Persistence;

namespace Microsoft.ML.GatedLinear.Galu;

/// <summary>The GaLU options and gates in the MLGated payload format, shared by both GaLU models.</summary>
internal static class GaluPersistence
{
    public static void WriteOptions(PayloadWriter w, GaluOptions o)
    {
        w.Write(o.HiddenSizes);
        w.Write((int)o.Gate);
        w.Write((int)o.Variant);
        w.Write(o.FilterScale);
        w.Write(o.ExclusiveGates);
        w.Write(o.Ridge);
        w.Write(o.LearningRate);
        w.Write(o.BatchSize);
        w.Write(o.Seed);
    }

    public static GaluOptions ReadOptions(PayloadReader r)
    {
        var o = new GaluOptions
        {
            HiddenSizes = r.ReadInt32Array("the hidden sizes"),
            Gate = (GateKind)r.ReadInt32(),
            Variant = (GaluVariant)r.ReadInt32(),
            FilterScale = r.ReadDouble(),
            ExclusiveGates = r.ReadBoolean(),
            Ridge = r.ReadDouble(),
            LearningRate = r.ReadDouble(),
            BatchSize = r.ReadInt32(),
            Seed = r.ReadInt32(),
        };
        PayloadReader.ValidateOptions(o.Validate);
        return o;
    }

    public static void WriteGates(PayloadWriter w, GaluGates gates)
    {
        w.Write(gates.Count);
        w.Write(gates.Dimension);
        w.Write(gates.Filters);
    }

    public static GaluGates ReadGates(PayloadReader r, GateKind kind, int expectedCount, int expectedDimension)
    {
        int count = r.ReadInt32("a gate count", expectedCount, expectedCount);
        int dimension = r.ReadInt32("a gate input dimension", expectedDimension, expectedDimension);
        return new GaluGates(count, dimension, kind, r.ReadSingleArray("the gate filters", PayloadReader.CheckedLength((long)count * dimension)));
    }
}
