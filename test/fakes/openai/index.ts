/** The fake OpenAI Responses API: start it, script answers, assert on what the CLI sent. */
export {
  echoHandler,
  type FakeOpenAiServer,
  type ResponseHandler,
  startFakeOpenAi,
} from "./fake-openai-server.js";
export {
  assistantTexts,
  functionCallOutputs,
  lastUserText,
  type RecordedRequest,
  userTexts,
} from "./recorded-request.js";
export {
  addFile,
  defaultUsage,
  type FakeUsage,
  httpError,
  type ResponseStep,
  requestUserInput,
  shell,
  stall,
  text,
} from "./response-step.js";
