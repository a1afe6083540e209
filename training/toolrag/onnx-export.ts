import { onnx } from "onnx-proto";
import type { LinearToolModel } from "../../src/agent/toolrag/linear-model";

/**
 * The classifier as an ONNX graph (IR 8, opset 13) that onnxruntime-node runs: Gather the weight rows of
 * the feature ids, ReduceSum over the features, multiply by the per-request scale, add the bias, Sigmoid.
 * Inputs: `ids` int64 [batch, n] (0 pads), `scale` float [batch, 1]. Outputs: `logits` and `probs`
 * float [batch, labels].
 */
export function exportOnnx(model: LinearToolModel): Uint8Array {
  const labels = model.labels.length;
  const buckets = model.featurizer.buckets;
  const graph = onnx.GraphProto.create({
    name: "tinyagent_toolrag",
    initializer: [
      floatTensor("weights", [buckets, labels], model.weights),
      floatTensor("bias", [labels], model.bias),
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
      node("Gather", ["weights", "ids"], ["rows"], [intAttribute("axis", 0)]),
      node("ReduceSum", ["rows", "sum_axes"], ["summed"], [intAttribute("keepdims", 0)]),
      node("Mul", ["summed", "scale"], ["scaled"]),
      node("Add", ["scaled", "bias"], ["logits"]),
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
