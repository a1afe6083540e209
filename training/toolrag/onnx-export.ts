import { onnx } from "onnx-proto";
import { quantizeEmbedding, type ToolModel } from "../../src/agent/toolrag/tool-model";

/**
 * The classifier as an ONNX graph (IR 8, opset 13) that onnxruntime-node runs: Gather the int8 embedding
 * rows of the feature ids and their scales, Cast and Mul back to floats, ReduceSum over the features, multiply by the per-request scale, add the hidden bias,
 * Relu, MatMul by the output weights, add the output bias, Sigmoid. Inputs: `ids` int64 [batch, n]
 * (0 pads), `scale` float [batch, 1]. Outputs: `logits` and `probs` float [batch, labels].
 */
export function exportOnnx(model: ToolModel): Uint8Array {
  const labels = model.labels.length;
  const buckets = model.featurizer.buckets;
  const quantized = quantizeEmbedding(model.embedding, model.hidden);
  const graph = onnx.GraphProto.create({
    name: "tinyagent_toolrag",
    initializer: [
      onnx.TensorProto.create({
        name: "embedding_bytes",
        dims: [buckets, model.hidden],
        dataType: onnx.TensorProto.DataType.INT8,
        rawData: new Uint8Array(
          quantized.bytes.buffer,
          quantized.bytes.byteOffset,
          quantized.bytes.byteLength,
        ),
      }),
      floatTensor("embedding_scales", [buckets, 1], quantized.scales),
      floatTensor("hidden_bias", [model.hidden], model.hiddenBias),
      floatTensor("output", [model.hidden, labels], model.output),
      floatTensor("output_bias", [labels], model.outputBias),
      onnx.TensorProto.create({
        name: "sum_axes",
        dims: [1],
        dataType: onnx.TensorProto.DataType.INT64,
        int64Data: [1],
      }),
    ],
    input: [
      valueInfo("ids", onnx.TensorProto.DataType.INT64, ["batch", "n"]),
      valueInfo("scale", onnx.TensorProto.DataType.FLOAT, ["batch", 1]),
    ],
    output: [
      valueInfo("logits", onnx.TensorProto.DataType.FLOAT, ["batch", labels]),
      valueInfo("probs", onnx.TensorProto.DataType.FLOAT, ["batch", labels]),
    ],
    node: [
      node("Gather", ["embedding_bytes", "ids"], ["row_bytes"], [intAttribute("axis", 0)]),
      node("Cast", ["row_bytes"], ["row_values"], [intAttribute("to", onnx.TensorProto.DataType.FLOAT)]),
      node("Gather", ["embedding_scales", "ids"], ["row_scales"], [intAttribute("axis", 0)]),
      node("Mul", ["row_values", "row_scales"], ["rows"]),
      node("ReduceSum", ["rows", "sum_axes"], ["summed"], [intAttribute("keepdims", 0)]),
      node("Mul", ["summed", "scale"], ["scaled"]),
      node("Add", ["scaled", "hidden_bias"], ["pre_hidden"]),
      node("Relu", ["pre_hidden"], ["hidden"]),
      node("MatMul", ["hidden", "output"], ["weighted"]),
      node("Add", ["weighted", "output_bias"], ["logits"]),
      node("Sigmoid", ["logits"], ["probs"]),
    ],
  });
  const proto = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [onnx.OperatorSetIdProto.create({ domain: "", version: 13 })],
    producerName: "tinyagent-train-toolrag",
    graph,
  });
  return onnx.ModelProto.encode(proto).finish();
}

function floatTensor(name: string, dims: number[], values: Float32Array): onnx.TensorProto {
  // raw_data is little-endian float32, which is what Float32Array holds on every platform Node runs on.
  return onnx.TensorProto.create({
    name,
    dims,
    dataType: onnx.TensorProto.DataType.FLOAT,
    rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
  });
}

function valueInfo(
  name: string,
  type: onnx.TensorProto.DataType,
  dims: (number | string)[],
): onnx.ValueInfoProto {
  return onnx.ValueInfoProto.create({
    name,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({
        elemType: type,
        shape: onnx.TensorShapeProto.create({
          dim: dims.map((d) =>
            onnx.TensorShapeProto.Dimension.create(typeof d === "number" ? { dimValue: d } : { dimParam: d }),
          ),
        }),
      }),
    }),
  });
}

function node(
  opType: string,
  input: string[],
  output: string[],
  attribute: onnx.IAttributeProto[] = [],
): onnx.NodeProto {
  return onnx.NodeProto.create({ opType, input, output, attribute, name: `${opType}_${output[0]}` });
}

function intAttribute(name: string, value: number): onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i: value };
}
