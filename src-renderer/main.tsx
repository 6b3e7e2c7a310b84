/** The renderer's entry: picks the transport, starts the stores, mounts the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { assertExists } from '../shared/errors';
import { App } from './components/App';
import { ErrorBoundary } from './components/ErrorBoundary';
import { startApp } from './state/startApp';
import { createTransport } from './transport';
import './styles.css';

// startApp binds the transport synchronously, before the first render reads it.
void startApp(createTransport());

createRoot(assertExists(document.getElementById('root'), 'index.html has no #root')).render(
  <StrictMode>
    <ErrorBoundary>
      <App />
    </ErrorBoundary>
  </StrictMode>,
);
