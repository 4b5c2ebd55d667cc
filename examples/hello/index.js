// The function `stratus up` deploys and invokes: a CommonJS Lambda handler.
exports.handler = async (event, context) => {
  console.log('greeting', event.name ?? 'world');
  return {
    message: `Hello, ${event.name ?? 'world'}!`,
    requestId: context.awsRequestId,
  };
};
