using Microsoft.ML.Data;
using Microsoft.ML.GatedLinear.Data;
using Microsoft.ML.GatedLinear.Gon;
using Microsoft.ML.GatedLinear.Training;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Trainers.GatedLinear;

/// <summary>A fitted GON featurizer: appends the latent of the input column as a vector of Single.</summary>
public sealed class GradientOriginTransformer : GatedLinearPredictionTransformer<GradientOriginNetwork>, ISavedTransformer<GradientOriginTransformer>
{
    internal GradientOriginTransformer(GradientOriginNetwork model, string inputColumnName, string outputColumnName)
        : base(model, inputColumnName, model.DataDimension)
    {
        OutputColumnName = outputColumnName;
    }

    /// <summary>The latent column's name.</summary>
    public string OutputColumnName { get; }

    static string ISavedTransformer<GradientOriginTransformer>.Kind => "gon";

    static GradientOriginTransformer ISavedTransformer<GradientOriginTransformer>.Read(BinaryReader reader)
    {
        string input = reader.ReadString(), output = reader.ReadString();
        return new(GradientOriginNetwork.Load(reader.BaseStream), input, output);
    }

    void ISavedTransformer.Write(BinaryWriter writer)
    {
        writer.Write(FeatureColumnName);
        writer.Write(OutputColumnName);
        Model.Save(writer.BaseStream);
    }

    private protected override OutputColumnsMapper CreateMapper(DataViewSchema inputSchema) => new LatentMapper(this, inputSchema);

    private sealed class LatentMapper : OutputColumnsMapper
    {
        private readonly GradientOriginNetwork _network;

        public LatentMapper(GradientOriginTransformer parent, DataViewSchema inputSchema)
            : base(inputSchema, parent.FeatureColumnName, b => b.AddColumn(parent.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single, parent.Model.Options.LatentDimension)))
        {
            _network = parent.Model;
            ModelShape.RequireFeatureCount(FeatureColumn, FeatureCount, _network.DataDimension);
        }

        protected override Delegate?[] CreateActiveGetters(DataViewRow input, Func<int, bool> isActive)
        {
            var reader = new FeatureVectorReader(input, FeatureColumn);
            var features = new float[FeatureCount];
            int latent = _network.Options.LatentDimension;
            return Getters(isActive, () => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
            {
                reader.ReadFinite(features);
                float[] z = _network.Encode(features);
                var editor = VBufferEditor.Create(ref value, latent);
                z.CopyTo(editor.Values);
                value = editor.Commit();
            }));
        }
    }
}
