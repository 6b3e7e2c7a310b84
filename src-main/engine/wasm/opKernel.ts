/**
 * Registers a wasm kernel whose body is ordinary tfjs op code instead of raw TensorInfos.
 *
 * This leans on two things the tfjs engine guarantees: ops called inside a kernel are not
 * recorded on the gradient tape (kernelDepth > 0 turns the tape off), and a kernel may
 * return a Tensor, which the engine hands back as the op's output.
 */
import * as tf from '@tensorflow/tfjs';

/** A kernel body: named input tensors and the op's attributes in, one new tensor out. */
export type OpKernelBody = (inputs: Record<string, tf.Tensor>, attrs: tf.NamedAttrMap) => tf.Tensor;

/**
 * Registers `body` as `kernelName` on the wasm backend unless a kernel of that name is
 * already there. Returns whether it registered. The body runs inside `tidy`, so only the
 * tensor it returns survives; it must not dispose its inputs.
 */
export function registerWasmOpKernel(kernelName: string, body: OpKernelBody): boolean {
  if (tf.getKernel(kernelName, 'wasm')) return false;
  tf.registerKernel({
    kernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs }) => {
      // The engine passes the op's own Tensors; another kernel calling this one directly
      // would pass bare TensorInfos, which need a Tensor wrapper for the span of the call.
      const wrappers: tf.Tensor[] = [];
      const tensors: Record<string, tf.Tensor> = {};
      for (const [name, info] of Object.entries(inputs)) {
        if (info == null) continue;
        if (info instanceof tf.Tensor) {
          tensors[name] = info;
        } else {
          const wrapper = tf.engine().makeTensorFromTensorInfo(info);
          wrappers.push(wrapper);
          tensors[name] = wrapper;
        }
      }
      try {
        return tf.tidy(() => body(tensors, attrs ?? {}));
      } finally {
        tf.dispose(wrappers);
      }
    },
  });
  return true;
}
