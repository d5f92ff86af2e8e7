export {
  challengePage,
  htmlErrorPage,
  splitBytes,
  splitsACharacter,
  splitText,
  utf8Pieces,
} from './pages.js';
export {
  createReplicaServer,
  type RecordedCall,
  type ReplicaBody,
  type ReplicaContext,
  type ReplicaFault,
  type ReplicaHandler,
  type ReplicaRequest,
  type ReplicaResponse,
  type ReplicaServer,
  type ReplicaServerOptions,
} from './replica-server.js';
